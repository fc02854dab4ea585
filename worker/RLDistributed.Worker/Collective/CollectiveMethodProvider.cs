using Grpc.AspNetCore.Server.Model;

namespace RLDistributed.Worker.Collective;

/// <summary>Binds <see cref="CollectiveService"/>'s methods (<see cref="CollectiveMethods"/>) when the host maps the service.</summary>
internal sealed class CollectiveMethodProvider : IServiceMethodProvider<CollectiveService>
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<CollectiveService> context)
    {
        context.AddClientStreamingMethod(CollectiveMethods.PushChunks, [], (service, requests, call) => service.PushChunks(requests, call));
        context.AddServerStreamingMethod(CollectiveMethods.FetchState, [], (service, request, responses, call) => service.FetchState(request, responses, call));
    }
}
