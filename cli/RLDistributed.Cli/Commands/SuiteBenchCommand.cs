using System.CommandLine;
using RLDistributed.Cli.Bench;
using RLDistributed.Cli.Hosting;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld bench suite</c> (<c>make bench</c>): every benchmark, one JSON file and the summary in bench/RESULTS.md.</summary>
public static class SuiteBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Fewer sizes, steps and repeats (a few minutes): a smoke run, not figures to quote" };
        var python = new Option<string>("--python") { Description = "Python with torch for the PyTorch peer", DefaultValueFactory = _ => "/usr/bin/python3" };
        var output = new Option<string>("--out") { Description = "Directory for the JSON result", DefaultValueFactory = _ => Path.Combine("bench", "results") };
        var markdown = new Option<string>("--markdown") { Description = "The summary to update", DefaultValueFactory = _ => Path.Combine("bench", "RESULTS.md") };
        var command = new Command("suite", "Run every benchmark and record the results with their method") { quick, python, output, markdown };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var suite = new BenchSuite(parse.GetValue(quick), parse.GetValue(python)!, line => AnsiConsole.MarkupLineInterpolated($"[grey]{DateTime.Now:HH:mm:ss}[/] {line}"));
            var report = await suite.RunAsync(cancellationToken);
            var path = await SuiteReportWriter.WriteAsync(report, parse.GetValue(output)!, parse.GetValue(markdown)!, cancellationToken);
            Console.WriteLine(SuiteReportWriter.Render(report, Path.GetFileName(path)));
            AnsiConsole.MarkupLineInterpolated($"results: [green]{path}[/], summary: [green]{parse.GetValue(markdown)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
