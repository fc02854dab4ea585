using System.Net.Security;
using RLDistributed.Cli.Tests.Commands;
using RLDistributed.Hosting.Security;

namespace RLDistributed.Cli.Tests.Security;

/// <summary>
/// The token file of a role (a bad one stops the process at start-up without showing it; the other bad settings
/// are in <see cref="CommandLineErrorTests"/>), the certificates of <c>rld certs</c>, and the token itself.
/// </summary>
public sealed class SecuritySettingsTests : IDisposable
{
    /// <summary>Where each test writes its files; removed after it, keys included.</summary>
    private readonly string _directory = Directory.CreateTempSubdirectory("rld-certs-").FullName;

    [Fact]
    public async Task Worker_TokenFileTooShort_RefusedAtStartUpWithoutPrintingIt()
    {
        var path = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(path, "short-secret\n");

        var result = await RldProcess.RunAsync("worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--token-file", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("at least 16 characters", result.Error);
        Assert.DoesNotContain("short-secret", result.Error);
    }

    [Fact]
    public void DevCertificates_CertificateChainsToItsCa_ForServerAndClient_AndNotToAnotherCa()
    {
        var run = Path.Combine(_directory, "run");
        var other = Path.Combine(_directory, "other");
        DevCertificates.Write(run, ["rld-worker-0.rld-workers.rld.svc"], TimeSpan.FromDays(1));
        DevCertificates.Write(other, [], TimeSpan.FromDays(1));

        var tls = RunTls.Load(Path.Combine(run, "tls.crt"), Path.Combine(run, "tls.key"), Path.Combine(run, "ca.crt"), "test");
        var stranger = RunTls.Load(Path.Combine(other, "tls.crt"), Path.Combine(other, "tls.key"), Path.Combine(other, "ca.crt"), "test");

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.True(tls.IsTrusted(tls.Certificate, SslPolicyErrors.None));
        Assert.False(tls.IsTrusted(stranger.Certificate, SslPolicyErrors.None));
        Assert.False(tls.IsTrusted(null, SslPolicyErrors.None));
        Assert.Contains("rld-worker-0.rld-workers.rld.svc", tls.Certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(run, "tls.key")));
    }

    [Fact]
    public void RunToken_Matches_OnlyItself_AndNeverShowsInToString()
    {
        var token = RunToken.From("a-run-token-of-enough-length", "test");

        Assert.True(token.Matches("a-run-token-of-enough-length"));
        Assert.False(token.Matches("a-run-token-of-enough-lengtH"));
        Assert.False(token.Matches(""));
        Assert.True(token.MatchesHeader("Bearer a-run-token-of-enough-length"));
        Assert.False(token.MatchesHeader("a-run-token-of-enough-length"));
        Assert.DoesNotContain("enough", token.ToString());
        Assert.NotEqual(RunToken.Generate().Value, RunToken.Generate().Value);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
