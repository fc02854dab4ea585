using System.Globalization;
using RLDistributed.Cli.Commands;
using RLDistributed.Core.Presets;
using TorchSharp;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Every benchmark in one run (`make bench`, `rld bench suite`): iteration time per preset at 1 and 2 threads,
/// the PyTorch peer side by side, all-reduce against raw TCP, weak scaling, distributed overhead, Langevin
/// throughput, checkpoint stall, memory over a long run and recovery from a lost worker. Methods are in
/// bench/README.md; each part is the same code as its own `rld bench` command.
/// </summary>
public sealed class BenchSuite(bool quick, string python, Action<string> progress)
{
    private static readonly string[] ImagePresets = ["fashion-mnist"];

    /// <summary>Runs every part in turn.</summary>
    public async Task<SuiteReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new SuiteReport
        {
            Commit = GitCommit(), Machine = Environment.MachineName, Cores = Environment.ProcessorCount, Utc = DateTime.UtcNow, Quick = quick,
        };
        var presets = quick ? ["toy2d"] : new[] { "toy2d" }.Concat(ImagePresets).ToArray();
        var (self, prefix) = ChildJson.Self();
        foreach (var name in presets)
        {
            foreach (var threads in new[] { 1, 2 })
            {
                var batch = name == "toy2d" ? 1024 : 16;
                progress($"step {name} batch {batch}, {threads} thread(s)");
                var step = await ChildJson.RunAsync<StepBenchResult>(self, [.. prefix, "bench", "step", "--preset", name, "--batch", Text(batch), "--threads", Text(threads),
                    "--warmup", Text(WarmupIterations(name)), "--repeats", quick ? "3" : "10", "--json"], null, cancellationToken).ConfigureAwait(false);
                report.Steps.Add(new StepTiming(name, batch, threads, step.MedianMs, step.MinMs, step.MaxMs));
            }
        }

        await PeerAsync(report, presets, self, prefix, cancellationToken).ConfigureAwait(false);

        progress("all-reduce against raw TCP");
        var (raw, allReduce) = await AllReduceBenchmark.RunAsync(quick ? ["tcp"] : ["tcp", "grpc"], quick ? [2] : [2, 3, 4], quick ? [4] : [4, 16, 64], 3,
            _ => { }, cancellationToken).ConfigureAwait(false);
        report.RawTcpMBps = raw;
        report.AllReduce.AddRange(allReduce);

        var toy = TrainingPresets.Get("toy2d");
        progress("weak scaling");
        report.Scaling.AddRange(await ScalingBenchmark.RunAsync(toy, quick ? [1, 2] : [1, 2, 3], 256, quick ? 30 : 100, cancellationToken).ConfigureAwait(false));

        progress("distributed overhead");
        var scratch = Directory.CreateTempSubdirectory("rld-bench-suite-").FullName;
        try
        {
            report.Overhead = await DistributedOverheadBenchmark.RunAsync(toy, 2, 256, quick ? 30 : 100, quick ? 1 : 5, scratch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        foreach (var name in presets)
        {
            // The same cluster run with the all-reduce after the backward and during it (64 KiB buckets, so that the
            // presets' gradients span several); both must end with the same parameters.
            foreach (var overlap in new[] { false, true })
            {
                progress($"all-reduce overlap {name}, {(overlap ? "on" : "off")}");
                var overlapScratch = Directory.CreateTempSubdirectory("rld-bench-suite-").FullName;
                try
                {
                    report.Overlap.Add(await OverlapBenchmark.RunAsync(TrainingPresets.Get(name), overlap, 2, name == "toy2d" ? 256 : 4,
                        quick ? 5 : name == "toy2d" ? 40 : 10, 64 * 1024, overlapScratch, cancellationToken).ConfigureAwait(false));
                }
                finally
                {
                    Directory.Delete(overlapScratch, recursive: true);
                }
            }
        }

        foreach (var name in presets)
        {
            progress($"Langevin throughput {name}");
            var preset = TrainingPresets.Get(name);
            torch.set_num_threads(Environment.ProcessorCount);
            report.Langevin.Add(LangevinThroughputBenchmark.Run(preset, name == "toy2d" ? 1024 : 16, quick ? 1 : 3, cancellationToken));
            progress($"checkpoint stall {name}");
            var directory = Directory.CreateTempSubdirectory("rld-bench-suite-").FullName;
            try
            {
                report.Checkpoint.Add(CheckpointStallBenchmark.Run(preset, name == "toy2d" ? 1024 : 16, quick ? 2 : 5, directory, cancellationToken));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        progress("memory over a long run");
        var memoryDirectory = Directory.CreateTempSubdirectory("rld-bench-suite-").FullName;
        try
        {
            report.Memory = await MemoryGrowthBenchmark.RunAsync(quick ? 200 : 1000, 256, memoryDirectory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(memoryDirectory, recursive: true);
        }

        for (var kill = 0; kill < (quick ? 1 : 3); kill++)
        {
            progress($"recovery, kill {kill + 1}");
            var directory = Directory.CreateTempSubdirectory("rld-bench-suite-").FullName;
            try
            {
                report.Recovery.Add(await RecoveryBenchmark.RunOnceAsync(3, 1536, directory, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        return report;
    }

    private async Task PeerAsync(SuiteReport report, string[] presets, string self, string[] prefix, CancellationToken cancellationToken)
    {
        if (!File.Exists(python) || presets.Any(p => !File.Exists(PeerComparison.ScriptFor(p))))
        {
            report.PyTorchSkipped = $"{python} or the scripts in bench/peers not found (run from the repository root; Debian: apt-get install python3-torch libopenblas0-pthread)";
            return;
        }
        var schedule = Path.GetTempFileName();
        try
        {
            var json = await ChildJson.RunTextAsync(self, [.. prefix, "schedule", "--levels", Text(TrainingPresets.Get("toy2d").Training.Levels), "--json"], cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(schedule, json, cancellationToken).ConfigureAwait(false);
            foreach (var preset in presets)
            {
                foreach (var threads in new[] { 1, 2 })
                {
                    progress($"PyTorch peer, {preset}, {threads} thread(s)");
                    var image = preset != "toy2d";
                    try
                    {
                        report.PyTorch.Add(await PeerComparison.RunAsync(python, preset, schedule, image ? 16 : 1024, threads,
                            warmup: WarmupIterations(preset), repeats: image ? (quick ? 2 : 5) : quick ? 3 : 10, rounds: quick ? 1 : 3,
                            cancellationToken).ConfigureAwait(false));
                    }
                    catch (InvalidOperationException e) when (e.Message.Contains("No module named 'torch'", StringComparison.Ordinal))
                    {
                        report.PyTorchSkipped = $"{python} has no torch module (Debian: apt-get install python3-torch libopenblas0-pthread)";
                        return;
                    }
                }
            }
        }
        finally
        {
            File.Delete(schedule);
        }
    }

    /// <summary>
    /// Untimed iterations before the timed ones, the same for rld and its PyTorch peer. A fresh rld process needs more than
    /// PyTorch: per-iteration times of toy2d (batch 1024, one thread) went 263, 128, 116, 110, 91 … and settled after about
    /// a dozen (PyTorch: 202, then steady from the second), fashion-mnist after about five; with one warm-up the toy2d median
    /// held that ramp (144 ms against 88–90 ms after 20).
    /// </summary>
    private int WarmupIterations(string preset) => preset == "toy2d" ? (quick ? 5 : 20) : quick ? 1 : 5;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string GitCommit()
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            var commit = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return string.IsNullOrEmpty(commit) ? "unknown" : commit;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown"; // no git on this machine
        }
    }
}
