using System.Diagnostics;
using System.Globalization;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Worker memory over a long run: a one-process `rld train` of toy2d for S steps, its resident set read from
/// /proc every 200 ms together with the step it has reached (the last line of its metrics.jsonl). Growth is the
/// largest RSS over the last tenth of the steps against the RSS once a tenth of the steps is done (after
/// start-up, JIT and the allocator's first growth); the final model and sample pictures, written after the last
/// step, are not training and are left out.
/// </summary>
public static class MemoryGrowthBenchmark
{
    /// <summary>Runs and samples; returns the RSS figures in MiB.</summary>
    public static async Task<MemoryGrowthResult> RunAsync(int steps, int batch, string scratchDirectory, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the memory benchmark reads /proc");
        var (self, prefix) = ChildJson.Self();
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in prefix.Concat(["train", "--preset", "toy2d", "--steps", steps.ToString(CultureInfo.InvariantCulture), "--batch", batch.ToString(CultureInfo.InvariantCulture),
            "--threads", "1", "--checkpoint-every", "0", "--out", scratchDirectory])) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start rld train");
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        var samples = new List<(long Step, double MiB)>();
        var metrics = Path.Combine(scratchDirectory, "metrics.jsonl");
        while (!process.HasExited)
        {
            if (ReadRssMiB(process.Id) is { } rss && LastStep(metrics) is { } step && step < steps) samples.Add((step, rss));
            try
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"rld train exited with {process.ExitCode}");
        if (samples.Count < 20) throw new InvalidOperationException($"only {samples.Count} memory samples: the run was too short to judge");
        var early = samples.FirstOrDefault(s => s.Step >= steps / 10).MiB;
        var lateSamples = samples.Where(s => s.Step >= steps * 9 / 10).ToList();
        if (early == 0 || lateSamples.Count == 0) throw new InvalidOperationException("no memory samples early or late in the run: make it longer");
        var late = lateSamples.Max(s => s.MiB);
        return new MemoryGrowthResult(steps, batch, samples.Count, early, late, late / early - 1);
    }

    /// <summary>The step of the last complete line of metrics.jsonl, or null before the first.</summary>
    private static long? LastStep(string metrics)
    {
        try
        {
            using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var tail = new byte[Math.Min(stream.Length, 2048)];
            stream.Seek(-tail.Length, SeekOrigin.End);
            stream.ReadExactly(tail);
            var lines = System.Text.Encoding.UTF8.GetString(tail).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = lines.Length - 1; i >= 0; i--)
            {
                var match = System.Text.RegularExpressions.Regex.Match(lines[i], "^\\{\"step\":(\\d+),.*\\}$");
                if (match.Success) return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            return null;
        }
        catch (IOException)
        {
            return null; // not written yet
        }
    }

    private static double? ReadRssMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is null) return null;
            var kilobytes = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return kilobytes / 1024;
        }
        catch (IOException)
        {
            return null; // the process ended between the check and the read
        }
    }
}

/// <summary>RSS after a tenth of the run and at its end (largest of the last tenth), and the growth between them.</summary>
public sealed record MemoryGrowthResult(int Steps, int Batch, int Samples, double EarlyMiB, double LateMiB, double Growth);
