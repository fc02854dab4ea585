namespace RLDistributed.Hosting.Security;

/// <summary>Adds the run token to every request of a gRPC channel.</summary>
public sealed class RunTokenHandler(RunToken token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(RunToken.HeaderName, token.HeaderValue);
        return base.SendAsync(request, cancellationToken);
    }
}
