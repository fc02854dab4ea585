using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace RLDistributed.Hosting.Security;

/// <summary>
/// This process's certificate and, when configured, the run's CA. With a CA, TLS is mutual: every peer (client
/// or server, gRPC or the tcp data plane) must present a certificate that chains to that CA, and to nothing
/// else (custom root trust: the machine's store is not consulted). Host names are not checked against the
/// certificate: one certificate serves every pod of a run (the chart mounts one Secret), so the run's private CA
/// is the trust boundary. Without a CA, servers speak TLS, clients verify them against the system's roots, and
/// no client certificate is asked for.
/// </summary>
public sealed class RunTls
{
    private RunTls(X509Certificate2 certificate, X509Certificate2Collection? authority)
    {
        Certificate = certificate;
        Authority = authority;
    }

    /// <summary>This process's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The run's CA certificates (null: no client certificates, system roots for servers).</summary>
    public X509Certificate2Collection? Authority { get; }

    /// <summary>
    /// Loads PEM files; <paramref name="settingPrefix"/> (e.g. <c>Rld:Worker</c>) names the settings in errors.
    /// </summary>
    /// <exception cref="ArgumentException">a file is missing or not a PEM certificate or key.</exception>
    public static RunTls Load(string certificatePath, string keyPath, string? authorityPath, string settingPrefix)
    {
        RequireFile(certificatePath, $"{settingPrefix}:TlsCert");
        RequireFile(keyPath, $"{settingPrefix}:TlsKey");
        X509Certificate2 certificate;
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Re-imported so that the private key is usable by SslStream on every platform.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{settingPrefix}:TlsCert/TlsKey: {certificatePath} and {keyPath} are not a PEM certificate and its key: {e.Message}");
        }
        if (authorityPath is null) return new RunTls(certificate, null);
        RequireFile(authorityPath, $"{settingPrefix}:TlsCa");
        var authority = new X509Certificate2Collection();
        try
        {
            authority.ImportFromPemFile(authorityPath);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{settingPrefix}:TlsCa: {authorityPath} is not a PEM certificate: {e.Message}");
        }
        if (authority.Count == 0) throw new ArgumentException($"{settingPrefix}:TlsCa: {authorityPath} holds no certificate");
        return new RunTls(certificate, authority);
    }

    /// <summary>Whether a peer's certificate is acceptable (see the class remarks).</summary>
    public bool IsTrusted(X509Certificate? peer, SslPolicyErrors errors)
    {
        if (Authority is null) return errors == SslPolicyErrors.None;
        if (peer is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = peer as X509Certificate2 is { } typed ? X509CertificateLoader.LoadCertificate(typed.RawData) : X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        return chain.Build(certificate);
    }

    /// <summary>Options for the server side of a tcp ring connection.</summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificate = Certificate,
        ClientCertificateRequired = Authority is not null,
        RemoteCertificateValidationCallback = (_, peer, _, errors) => Authority is null || IsTrusted(peer, errors),
    };

    /// <summary>Options for the client side of a connection (tcp ring, or gRPC through <see cref="System.Net.Http.SocketsHttpHandler"/>).</summary>
    public SslClientAuthenticationOptions ClientOptions(string? targetHost = null) => new()
    {
        TargetHost = targetHost,
        ClientCertificates = [Certificate],
        RemoteCertificateValidationCallback = (_, peer, _, errors) => IsTrusted(peer, Authority is null ? errors : errors & ~SslPolicyErrors.RemoteCertificateNameMismatch),
    };

    /// <summary>Makes a Kestrel endpoint serve TLS with this certificate (and require trusted client certificates when a CA is set).</summary>
    public void UseOn(ListenOptions listen) => listen.UseHttps(https =>
    {
        https.ServerCertificate = Certificate;
        https.ClientCertificateMode = Authority is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (peer, _, errors) => Authority is null || IsTrusted(peer, errors);
    });

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path)) throw new ArgumentException($"{setting}: {path}: no such file");
    }
}
