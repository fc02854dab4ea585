using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RLDistributed.Worker.Tests.Support;

namespace RLDistributed.Worker.Tests.Coordination;

/// <summary>A loopback Kestrel server serving one coordinator stand-in instance.</summary>
internal static class CoordinatorServer
{
    public static Task<LoopbackGrpcServer> StartAsync<TService>(TService coordinator) where TService : Protos.V1.Coordinator.CoordinatorBase =>
        LoopbackGrpcServer.StartAsync(services => services.AddGrpc().Services.AddSingleton(coordinator), app => app.MapGrpcService<TService>());
}
