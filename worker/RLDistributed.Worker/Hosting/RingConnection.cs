using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Training;

namespace RLDistributed.Worker.Hosting;

/// <summary>This rank's ring for one generation: the transport and the gradient reducer over it.</summary>
public sealed class RingConnection(IRingTransport? transport, RingGradientReducer reducer) : IAsyncDisposable
{
    /// <summary>Sums gradients over the ring.</summary>
    public IGradientReducer Reducer => reducer;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        reducer.Dispose();
        if (transport is not null) await transport.DisposeAsync().ConfigureAwait(false);
    }
}
