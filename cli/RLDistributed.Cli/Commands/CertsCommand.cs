using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Hosting.Security;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld certs --out DIR</c>: a development CA and a server/client certificate (PEM), as a TLS Secret holds them.</summary>
public static class CertsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory for ca.crt, ca.key, tls.crt, tls.key", Required = true };
        var names = new Option<string[]>("--name") { Description = "Extra DNS names or addresses of the certificate (localhost and loopback are always in)", AllowMultipleArgumentsPerToken = true };
        var days = CommonOptions.Positive<int>("--days", "Validity in days (default 365)");
        var command = new Command("certs", "Make a development CA and a certificate it signs, for TLS and mutual TLS between the run's processes")
        {
            output, names, days,
        };
        command.SetAction(parse =>
        {
            var paths = DevCertificates.Write(parse.GetValue(output)!, parse.GetValue(names) ?? [], TimeSpan.FromDays(parse.GetValue(days) ?? 365));
            foreach (var path in paths) Console.WriteLine(path);
            return ExitCodes.Ok;
        });
        return command;
    }
}
