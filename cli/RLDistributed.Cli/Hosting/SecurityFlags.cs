using System.CommandLine;
using RLDistributed.Hosting.Security;

namespace RLDistributed.Cli.Hosting;

/// <summary>
/// The security settings of a role: <c>--token-file</c> (or the setting TokenFile, or Token itself, which has no
/// flag so that it never shows in <c>ps</c>), and the PEM files <c>--tls-cert</c>, <c>--tls-key</c>, <c>--tls-ca</c>
/// (or TlsCert, TlsKey, TlsCa). The chart sets <c>Rld__Worker__TokenFile</c> and friends.
/// </summary>
public sealed class SecurityFlags
{
    private readonly Option<string?> _tokenFile = new("--token-file") { Description = "File holding the run token (or Rld:<Role>:TokenFile; Rld:<Role>:Token gives the token itself)" };
    private readonly Option<string?> _cert = new("--tls-cert") { Description = "PEM certificate for TLS (or Rld:<Role>:TlsCert)" };
    private readonly Option<string?> _key = new("--tls-key") { Description = "PEM private key of --tls-cert (or Rld:<Role>:TlsKey)" };
    private readonly Option<string?> _ca = new("--tls-ca") { Description = "PEM CA: peers must present certificates it signed (mutual TLS) (or Rld:<Role>:TlsCa)" };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_tokenFile);
        command.Options.Add(_cert);
        command.Options.Add(_key);
        command.Options.Add(_ca);
    }

    /// <summary>Reads the settings (flag &gt; environment &gt; appsettings.json); a bad one is a usage error naming it.</summary>
    public RunSecurity Read(RoleSettings settings)
    {
        try
        {
            return RunSecurity.FromSettings(
                settings.Setting("Token"), settings.Find(_tokenFile, "TokenFile"),
                settings.Find(_cert, "TlsCert"), settings.Find(_key, "TlsKey"), settings.Find(_ca, "TlsCa"), settings.SectionPath);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("security settings", e.Message);
        }
    }
}
