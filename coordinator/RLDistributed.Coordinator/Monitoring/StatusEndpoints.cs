using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RLDistributed.Coordinator.Rendezvous;

namespace RLDistributed.Coordinator.Monitoring;

/// <summary>
/// The coordinator's status routes, all GET and read-only: <c>/status</c> (JSON), <c>/</c> (the live page, one
/// static HTML file with inline script that polls /status) and <c>/samples.png</c> (rank 0's latest picture from
/// the output directory).
/// </summary>
public static class StatusEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Maps the routes for <paramref name="run"/>, whose pictures are in <paramref name="outputDirectory"/>.</summary>
    public static void Map(IEndpointRouteBuilder routes, RunState run, string outputDirectory)
    {
        var samples = Path.Combine(outputDirectory, "samples.png");
        var page = StatusPage.Html();
        routes.MapGet("/status", () => Results.Json(StatusReports.Of(run, File.Exists(samples) ? "/samples.png" : null), Json));
        routes.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        routes.MapGet("/samples.png", () => File.Exists(samples)
            ? Results.Bytes(File.ReadAllBytes(samples), "image/png")
            : Results.NotFound());
    }
}
