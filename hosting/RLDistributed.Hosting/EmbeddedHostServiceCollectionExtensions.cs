using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RLDistributed.Hosting;

/// <summary>Registers <see cref="EmbeddedHostLifetime"/>.</summary>
public static class EmbeddedHostServiceCollectionExtensions
{
    /// <summary>Replaces the console lifetime so that the enclosing command owns the process signals.</summary>
    public static IServiceCollection AddEmbeddedHostLifetime(this IServiceCollection services) =>
        services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
}
