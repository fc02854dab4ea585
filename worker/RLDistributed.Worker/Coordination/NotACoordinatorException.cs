using Grpc.Core;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// Something answered at the coordinator's address, but not an rld coordinator: a gRPC server without the
/// Coordinator service (another worker's collective port), or a server that does not speak gRPC over HTTP/2 (a
/// metrics port, a web server). Retrying cannot help, so the worker says so at once.
/// </summary>
public sealed class NotACoordinatorException(Uri address, StatusCode status, string detail)
    : CoordinatorConnectionException(address, $"{address} answered, but not as an rld coordinator ({status}: {detail}); is it the coordinator's gRPC port?")
{
    /// <summary>Whether <paramref name="e"/>, the answer to a join, came from something other than a coordinator.</summary>
    public static bool Describes(RpcException e) =>
        e.StatusCode == StatusCode.Unimplemented
        // Internal with an HTTP-level cause is the transport failing (no HTTP/2, not gRPC), not a coordinator's handler.
        || (e.StatusCode == StatusCode.Internal && e.Status.DebugException is HttpRequestException);
}
