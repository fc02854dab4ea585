using System.Collections.Concurrent;
using System.Diagnostics;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>
/// A real transport that notes when each send starts and each receive ends (ring step and offset, time since
/// creation) and can hold back chosen sends, to see the order in which a rank's all-reduce moves its chunks.
/// </summary>
internal sealed class TimedTransport(IRingTransport inner, Func<ChunkHeader, TimeSpan> sendDelay) : IRingTransport
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ConcurrentQueue<(string Event, int RingStep, long Offset, TimeSpan At)> Events { get; } = new();

    public async ValueTask SendAsync(ChunkHeader header, ReadOnlyMemory<float> data, CancellationToken ct)
    {
        var delay = sendDelay(header);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
        Events.Enqueue(("send", header.RingStep, header.Offset, _clock.Elapsed));
        await inner.SendAsync(header, data, ct);
    }

    public async ValueTask ReceiveAsync(ChunkHeader expected, Memory<float> destination, CancellationToken ct)
    {
        await inner.ReceiveAsync(expected, destination, ct);
        Events.Enqueue(("received", expected.RingStep, expected.Offset, _clock.Elapsed));
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
