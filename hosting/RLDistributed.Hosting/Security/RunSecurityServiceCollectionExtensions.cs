using Microsoft.Extensions.DependencyInjection;

namespace RLDistributed.Hosting.Security;

/// <summary>Registers the run's security on a gRPC host.</summary>
public static class RunSecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds gRPC with the token interceptor (when a token is configured) and a bound on the size of a received
    /// message, so that no request can make the server buffer more than <paramref name="maxReceiveMessageBytes"/>.
    /// </summary>
    public static IServiceCollection AddRunSecurity(this IServiceCollection services, RunSecurity security, int maxReceiveMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(security);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReceiveMessageBytes, 1024);
        services.AddSingleton(security);
        if (security.Token is { } token) services.AddSingleton(token);
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxReceiveMessageBytes;
            if (security.Token is not null) grpc.Interceptors.Add<RunTokenInterceptor>();
        });
        return services;
    }

}
