using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RLDistributed.Hosting.Security;

/// <summary>
/// How one process authenticates a run's traffic: the run token (null: none checked or sent) and TLS
/// (null: plain http and tcp). One instance serves both the servers and the clients of a process.
/// </summary>
/// <param name="Token">The run token, checked by every server and sent by every client.</param>
/// <param name="Tls">Certificates for gRPC and the tcp data plane.</param>
public sealed record RunSecurity(RunToken? Token, RunTls? Tls)
{
    /// <summary>No token, no TLS (tests and benchmarks on loopback).</summary>
    public static RunSecurity None { get; } = new(null, null);

    /// <summary>"https" with TLS, else "http".</summary>
    public string Scheme => Tls is null ? "http" : "https";

    /// <summary>The URI of a peer's gRPC endpoint (host:port) in this process's scheme.</summary>
    public Uri PeerUri(string endpoint) => new($"{Scheme}://{endpoint}");

    /// <summary>
    /// The handler for a gRPC channel: <paramref name="inner"/> with this process's client certificate and the run's
    /// trust, wrapped so that every request carries the token.
    /// </summary>
    public HttpMessageHandler CreateHandler(SocketsHttpHandler? inner = null)
    {
        inner ??= new SocketsHttpHandler();
        if (Tls is not null) inner.SslOptions = Tls.ClientOptions();
        return Token is null ? inner : new RunTokenHandler(Token, inner);
    }

    /// <summary>Serves TLS on a Kestrel endpoint when configured.</summary>
    public void ConfigureEndpoint(ListenOptions listen) => Tls?.UseOn(listen);

    /// <summary>Wraps the server side of a tcp connection in TLS when configured (else returns it unchanged).</summary>
    public async Task<Stream> AuthenticateServerAsync(Stream connection, CancellationToken cancellationToken)
    {
        if (Tls is null) return connection;
        var ssl = new SslStream(connection, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(Tls.ServerOptions(), cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Wraps the client side of a tcp connection in TLS when configured (else returns it unchanged).</summary>
    public async Task<Stream> AuthenticateClientAsync(Stream connection, string targetHost, CancellationToken cancellationToken)
    {
        if (Tls is null) return connection;
        var ssl = new SslStream(connection, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(Tls.ClientOptions(targetHost), cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Builds the security of a role from its settings: <paramref name="token"/> or else the file
    /// <paramref name="tokenFile"/>; TLS when <paramref name="certificate"/> is set (then <paramref name="key"/> is
    /// required, <paramref name="authority"/> optional). <paramref name="settingPrefix"/> (Rld:Worker) names settings in errors.
    /// </summary>
    /// <exception cref="ArgumentException">a setting is invalid; the message names it.</exception>
    public static RunSecurity FromSettings(string? token, string? tokenFile, string? certificate, string? key, string? authority, string settingPrefix)
    {
        RunToken? runToken = null;
        if (!string.IsNullOrEmpty(token)) runToken = RunToken.From(token, $"{settingPrefix}:Token");
        else if (!string.IsNullOrEmpty(tokenFile)) runToken = RunToken.FromFile(tokenFile, $"{settingPrefix}:TokenFile");
        RunTls? tls = null;
        if (!string.IsNullOrEmpty(certificate) || !string.IsNullOrEmpty(key))
        {
            if (string.IsNullOrEmpty(certificate)) throw new ArgumentException($"{settingPrefix}:TlsCert: is required with TlsKey");
            if (string.IsNullOrEmpty(key)) throw new ArgumentException($"{settingPrefix}:TlsKey: is required with TlsCert");
            tls = RunTls.Load(certificate, key, string.IsNullOrEmpty(authority) ? null : authority, settingPrefix);
        }
        else if (!string.IsNullOrEmpty(authority))
        {
            throw new ArgumentException($"{settingPrefix}:TlsCa: needs TlsCert and TlsKey too");
        }
        return new RunSecurity(runToken, tls);
    }
}
