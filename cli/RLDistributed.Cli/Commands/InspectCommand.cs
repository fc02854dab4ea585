using System.CommandLine;
using System.Text.Json;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld inspect DIR [--json]</c>: what a checkpoint holds, with every file's size and SHA-256 checked
/// against its manifest. DIR is one checkpoint or a directory of them (each is inspected, newest first).
/// Exit code 0 when every checkpoint verifies, 1 when one does not.
/// </summary>
public static class InspectCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "A checkpoint directory, or a directory of checkpoints" };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON" };
        var command = new Command("inspect", "Show what a checkpoint holds and verify every file's hash") { directory, json };
        command.SetAction(parse =>
        {
            var path = Path.GetFullPath(parse.GetValue(directory)!);
            if (!Directory.Exists(path)) throw new CliUsageException("DIR", $"{path}: no such directory");
            var candidates = IsCheckpoint(path)
                ? [path]
                : Directory.EnumerateDirectories(path).Where(d => IsCheckpoint(d)).OrderByDescending(d => d, StringComparer.Ordinal).ToList();
            if (candidates.Count == 0) throw new CliUsageException("DIR", $"{path} holds no checkpoint (no step-N directory or {CheckpointFiles.Manifest})");
            var findings = candidates.Select(Inspect).ToList();
            if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(new { checkpoints = findings }, ModelStore.Json));
            else foreach (var finding in findings) Render(finding);
            return findings.All(f => f.Valid) ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static bool IsCheckpoint(string directory) =>
        File.Exists(Path.Combine(directory, CheckpointFiles.Manifest)) || CheckpointFiles.StepOf(Path.GetFileName(directory)) is not null;

    private static CheckpointFinding Inspect(string directory)
    {
        try
        {
            var verified = CheckpointVerifier.Verify(directory);
            var energy = TensorFile.Read(Path.Combine(directory, CheckpointFiles.Energy));
            var model = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(directory, CheckpointFiles.Model)), ModelStore.Json)!;
            return new CheckpointFinding(directory, true, null, verified.Manifest, verified.State with { RunSpecJson = "" }, model.Preset, model.Model.Architecture,
                energy.Count, energy.Sum(r => r.ElementCount), model.Schedule.Levels);
        }
        catch (Exception e) when (e is CheckpointException or JsonException or IOException)
        {
            return new CheckpointFinding(directory, false, e.Message, null, null, null, null, 0, 0, 0);
        }
    }

    private static void Render(CheckpointFinding finding)
    {
        if (!finding.Valid)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]INVALID[/] {finding.Directory}: {finding.Problem}");
            return;
        }
        var manifest = finding.Manifest!;
        var state = finding.State!;
        AnsiConsole.MarkupLineInterpolated($"[green]valid[/] {finding.Directory}");
        var facts = new Table().HideHeaders().AddColumns("", "");
        facts.AddRow("run", manifest.RunId);
        facts.AddRow("step (next to train)", manifest.Step.ToString());
        facts.AddRow("saved by", $"{manifest.WorldSize} worker(s) at {manifest.CreatedUtc:u}");
        facts.AddRow("preset / network", $"{finding.Preset} / {finding.Architecture}, {finding.Levels} levels");
        facts.AddRow("network state", $"{finding.EnergyTensors} tensors, {finding.EnergyElements:N0} values");
        facts.AddRow("optimizer", $"Adam, {state.AdamIterations} iterations");
        facts.AddRow("data cursor", $"seed {state.Seed}, global batch {state.GlobalBatch}, {state.ExamplesSeen:N0} examples seen");
        AnsiConsole.Write(facts);
        var files = new Table().AddColumns("file", "bytes", "SHA-256", "check");
        foreach (var file in manifest.Files) files.AddRow(file.Name, file.Size.ToString("N0"), file.Sha256[..16] + "…", "[green]ok[/]");
        AnsiConsole.Write(files);
    }

    /// <summary>One checkpoint's verdict and contents.</summary>
    private sealed record CheckpointFinding(string Directory, bool Valid, string? Problem, CheckpointManifest? Manifest, CheckpointState? State,
        string? Preset, string? Architecture, int EnergyTensors, long EnergyElements, int Levels);
}
