using RLDistributed.Hosting.Security;

namespace RLDistributed.Worker.Tests.Security;

/// <summary>Two development CAs, each with a certificate it signed ("run" and "other"), made once per test class.</summary>
public sealed class TwoAuthorities : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("rld-authorities-");

    public TwoAuthorities()
    {
        DevCertificates.Write(Path.Combine(_root.FullName, "run"), [], TimeSpan.FromDays(1));
        DevCertificates.Write(Path.Combine(_root.FullName, "other"), [], TimeSpan.FromDays(1));
    }

    /// <summary>The run token with the certificate of <paramref name="certificateFrom"/>, trusting the CA <paramref name="trust"/>.</summary>
    public RunSecurity Security(string certificateFrom, string trust) => new(
        RunToken.From("token-of-the-run-0123456789", "test"),
        RunTls.Load(File(certificateFrom, "tls.crt"), File(certificateFrom, "tls.key"), File(trust, "ca.crt"), "test"));

    private string File(string authority, string name) => Path.Combine(_root.FullName, authority, name);

    public void Dispose() => _root.Delete(recursive: true);
}
