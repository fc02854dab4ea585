using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Writes a suite run as bench/results/&lt;date&gt;-&lt;machine&gt;.json and as the "latest suite run" section of
/// bench/RESULTS.md (between its markers; appended when they are missing), so that the readable summary and the
/// raw figures always come from the same run.
/// </summary>
public static class SuiteReportWriter
{
    private const string Begin = "<!-- suite:begin -->", End = "<!-- suite:end -->";

    /// <summary>Writes both files; returns the JSON path.</summary>
    public static async Task<string> WriteAsync(SuiteReport report, string resultsDirectory, string markdownPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(resultsDirectory);
        var path = Path.Combine(resultsDirectory, $"{report.Utc:yyyyMMdd-HHmmss}-{report.Machine}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }), cancellationToken).ConfigureAwait(false);
        var section = Render(report, Path.GetFileName(path));
        var existing = File.Exists(markdownPath) ? await File.ReadAllTextAsync(markdownPath, cancellationToken).ConfigureAwait(false) : "# Results\n";
        var start = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var updated = start >= 0 && end > start
            ? existing[..start] + section + existing[(end + End.Length)..]
            : existing.TrimEnd() + "\n\n" + section + "\n";
        await File.WriteAllTextAsync(markdownPath, updated, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>The Markdown section for <paramref name="report"/>.</summary>
    public static string Render(SuiteReport report, string jsonName)
    {
        var md = new StringBuilder();
        md.AppendLine(Begin);
        md.AppendLine(Invariant($"## Latest suite run: {report.Utc:yyyy-MM-dd HH:mm} UTC, commit {report.Commit}, {report.Machine} ({report.Cores} cores){(report.Quick ? ", quick" : "")}"));
        md.AppendLine();
        md.AppendLine(Invariant($"`make bench` (`rld bench suite`); raw figures in bench/results/{jsonName}; methods in bench/README.md. Medians; ratios from the same run."));
        md.AppendLine();
        md.AppendLine("**Training iteration** (Langevin included, one process)");
        md.AppendLine();
        md.AppendLine("| preset | batch | threads | median | min | max |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var s in report.Steps) md.AppendLine(Invariant($"| {s.Preset} | {s.Batch} | {s.Threads} | {s.MedianMs:F1} ms | {s.MinMs:F1} ms | {s.MaxMs:F1} ms |"));
        md.AppendLine();
        md.AppendLine("**Against PyTorch** (bench/peers/, the same iteration on the same network; target ratio ≤ 1.0)");
        md.AppendLine();
        if (report.PyTorchSkipped is { } reason) md.AppendLine($"Skipped: {reason}.");
        else
        {
            md.AppendLine("| preset | batch | threads | rld | PyTorch | PyTorch's OpenBLAS threads | rld / PyTorch |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var p in report.PyTorch)
                md.AppendLine(Invariant($"| {p.Preset} | {p.Batch} | {p.Threads} | {p.RldMs:F1} ms | {p.PyTorchMs:F1} ms | {p.PyTorchBlasThreads} | {p.Ratio:F2} |"));
        }
        md.AppendLine();
        md.AppendLine(Invariant($"**All-reduce** (raw single-stream loopback TCP in the same run: {report.RawTcpMBps:F0} MB/s; raw ring: N raw TCP streams in a ring at once, MB/s per rank; target tcp ≥ 80%, grpc ≥ 40% of raw TCP)"));
        md.AppendLine();
        md.AppendLine("| transport | N | MiB | busbw | of raw TCP (one stream) | raw ring | of raw ring |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var a in report.AllReduce)
            md.AppendLine(Invariant($"| {a.Transport} | {a.Workers} | {a.Bytes >> 20} | {a.BusBandwidthMBps:F0} MB/s | {a.BusBandwidthOfRawTcp:P0} | {a.RawRingMBps:F0} MB/s | {a.BusBandwidthOfRawRing:P0} |"));
        md.AppendLine();
        md.AppendLine("**Weak scaling** (toy2d, one thread per worker, same per-worker batch)");
        md.AppendLine();
        md.AppendLine("| workers | per-worker batch | step | examples/s | efficiency |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var p in report.Scaling) md.AppendLine(Invariant($"| {p.Workers} | {p.PerWorkerBatch} | {p.StepSeconds * 1000:F1} ms | {p.ExamplesPerSecond:F0} | {p.Efficiency:P0} |"));
        md.AppendLine();
        if (report.Overhead is { } o)
        {
            md.AppendLine(Invariant($"**Distributed overhead** (N = 2, target ≤ 5%; {o.Rounds.Count} rounds of the control and the cluster back to back, medians over rounds): one process {o.SingleSeconds * 1000:F1} ms, two independent processes at once {o.ConcurrentSeconds * 1000:F1} ms (slowest median; {o.SynchronisedSeconds * 1000:F1} ms as the median of the slowest per step), two workers {o.ClusterSeconds * 1000:F1} ms: ×{o.Ratio:F2} of one process, ×{o.RatioToConcurrent:F3} of the control's slowest median, **×{o.RatioToSynchronised:F3} of its slowest per step**."));
            md.AppendLine();
            md.AppendLine("| round | control, slowest per step | cluster | cluster / control |");
            md.AppendLine("|---|---|---|---|");
            foreach (var (round, i) in o.Rounds.Select((r, i) => (r, i + 1)))
                md.AppendLine(Invariant($"| {i} | {round.SynchronisedSeconds * 1000:F1} ms | {round.ClusterSeconds * 1000:F1} ms | ×{round.RatioToSynchronised:F3} |"));
            md.AppendLine();
        }
        if (report.Overlap.Count > 0)
        {
            md.AppendLine("**All-reduce overlapped with the backward** (2 workers over tcp, 64 KiB buckets, the same run with overlap off and on; hidden = all-reduce time before the backward returned / all-reduce time)");
            md.AppendLine();
            md.AppendLine("| preset | overlap | buckets | step | backward | all-reduce | waited after backward | hidden | bucket 0 ready at | same parameters as off |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var r in report.Overlap)
            {
                var off = report.Overlap.FirstOrDefault(x => x.Preset == r.Preset && !x.Overlap);
                md.AppendLine(Invariant($"| {r.Preset} | {(r.Overlap ? "on" : "off")} | {r.Buckets} | {r.MedianStepSeconds * 1000:F1} ms | {r.MedianBackwardSeconds * 1000:F1} ms | {r.MedianAllReduceSeconds * 1000:F2} ms | {r.MedianExposedSeconds * 1000:F2} ms | {(r.Overlap ? r.HiddenFraction.ToString("P0", CultureInfo.InvariantCulture) : "—")} | {(r.FirstBucketReadyAt is { } at ? at.ToString("P0", CultureInfo.InvariantCulture) : "—")} | {(r.Overlap ? (off is null ? "—" : off.ParameterHash == r.ParameterHash ? "bitwise" : "NO") : "")} |"));
            }
            md.AppendLine();
        }
        md.AppendLine("**Langevin throughput** (K steps at level 0, all cores)");
        md.AppendLine();
        md.AppendLine("| preset | batch | K | chain | examples/s |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var l in report.Langevin) md.AppendLine(Invariant($"| {l.Preset} | {l.Batch} | {l.Steps} | {l.ChainSeconds * 1000:F0} ms | {l.ExamplesPerSecond:F1} |"));
        md.AppendLine();
        md.AppendLine("**Checkpoint stall** (a save every 5 steps; target ≤ 5% of a step)");
        md.AppendLine();
        md.AppendLine("| preset | checkpoint | step | median stall | stall / step |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var c in report.Checkpoint) md.AppendLine(Invariant($"| {c.Preset} | {c.CheckpointBytes / 1048576.0:F1} MiB | {c.StepSeconds * 1000:F1} ms | {c.MedianStallSeconds * 1000:F2} ms | {c.StallShare:P2} |"));
        md.AppendLine();
        if (report.Memory is { } m)
            md.AppendLine(Invariant($"**Memory** over {m.Steps} steps (toy2d, batch {m.Batch}, {m.Samples} samples of RSS): {m.EarlyMiB:F0} MiB after a tenth, {m.LateMiB:F0} MiB at the end: {m.Growth:+0.0%;-0.0%} (target: no growth beyond 5%)."));
        md.AppendLine();
        if (report.Recovery.Count > 0)
            md.AppendLine(Invariant($"**Recovery** from a worker's SIGKILL ({report.Recovery.Count} kill(s), 3 workers): detection {BenchStatistics.Median(report.Recovery.Select(r => r.DetectionSeconds)):F2} s (target ≤ 3 s), next completed step {BenchStatistics.Median(report.Recovery.Select(r => r.NextStepSeconds)):F2} s (target ≤ 10 s)."));
        md.AppendLine(End);
        return md.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
