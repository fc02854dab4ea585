using System.Text.Json;
using System.Text.Json.Serialization;

namespace RLDistributed.Hosting.Telemetry;

/// <summary>
/// A run's metrics.jsonl in its output directory, one line per step (step, global loss, energy gap per level, seconds),
/// which <c>rld plot</c> draws: written by <c>rld train</c> in one process, and by the coordinator from the ranks'
/// combined reports. The file describes the run that exists: a step that comes again (the run resumed from a
/// checkpoint older than the file's last line, or a new run in the same directory) first drops that step and every
/// line after it. A torn last line (the process was killed mid-write) is dropped at the first step. Writing is best
/// effort: an I/O failure is reported once and the run goes on without the file. Not thread-safe: one writer.
/// </summary>
public sealed class StepMetricsFile : IDisposable
{
    // A diverged step's loss is written as "NaN" (JSON has no NaN), not refused: the line still records the step.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly string _directory;
    private readonly string _path;
    private readonly Action<string> _failed;
    private readonly TimeProvider _time;
    private readonly long _started;
    private StreamWriter? _writer;
    private long _lastStep;
    private bool _broken;

    /// <summary>
    /// The file <paramref name="directory"/>/metrics.jsonl, opened at the first step (a run that writes none leaves it
    /// alone); <paramref name="failed"/> hears once, with the path and the reason, when writing fails.
    /// </summary>
    public StepMetricsFile(string directory, TimeProvider time, Action<string> failed)
    {
        _directory = directory;
        _path = Path.Combine(directory, FileName);
        _failed = failed;
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>The file's name, as <c>rld train</c> and <c>rld plot</c> know it.</summary>
    public const string FileName = "metrics.jsonl";

    /// <summary>
    /// Writes step <paramref name="step"/>'s line (after dropping the lines from that step on, when it comes again);
    /// <paramref name="energyGap"/> holds null for a level no example had.
    /// </summary>
    public void Append(long step, double loss, IReadOnlyList<double?> energyGap)
    {
        Guard(() =>
        {
            _writer ??= OpenFirst();
            if (step <= _lastStep)
            {
                _writer.Dispose();
                Rewrite([.. ReadSteps().Where(l => l.Step < step)]);
                _writer = Open();
            }
            var seconds = _time.GetElapsedTime(_started).TotalSeconds;
            _writer.WriteLine(JsonSerializer.Serialize(new StepMetricsLine(step, loss, energyGap, seconds), Json));
            // A line per step, flushed: a process killed mid-run keeps every step it wrote.
            _writer.Flush();
            _lastStep = step;
        });
    }

    /// <inheritdoc />
    public void Dispose() => _writer?.Dispose();

    /// <summary>Keeps the well-formed lines of an existing file (a torn last line goes) and opens it for appending.</summary>
    private StreamWriter OpenFirst()
    {
        Directory.CreateDirectory(_directory);
        var kept = ReadSteps().ToList();
        if (File.Exists(_path) && kept.Count != File.ReadLines(_path).Count()) Rewrite(kept);
        _lastStep = kept.Count == 0 ? 0 : kept.Max(l => l.Step);
        return Open();
    }

    private StreamWriter Open() => new(new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read));

    /// <summary>The file's well-formed lines with their steps (none when there is no file).</summary>
    private IEnumerable<(long Step, string Text)> ReadSteps()
    {
        if (!File.Exists(_path)) yield break;
        foreach (var line in File.ReadLines(_path))
        {
            long? step = null;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("step", out var value) && value.TryGetInt64(out var parsed)) step = parsed;
            }
            catch (JsonException)
            {
            }
            if (step is { } s) yield return (s, line);
        }
    }

    private void Rewrite(IReadOnlyList<(long Step, string Text)> lines)
    {
        var temporary = _path + ".tmp";
        File.WriteAllLines(temporary, lines.Select(l => l.Text));
        File.Move(temporary, _path, overwrite: true);
    }

    private void Guard(Action write)
    {
        if (_broken) return;
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _broken = true;
            _writer?.Dispose();
            _writer = null;
            _failed($"{_path}: {e.Message}");
        }
    }

    /// <summary>One line, named as <c>rld train</c> names them (TrainingMetrics reads both).</summary>
    private sealed record StepMetricsLine(
        [property: JsonPropertyName("step")] long Step,
        [property: JsonPropertyName("loss")] double Loss,
        [property: JsonPropertyName("energyGap")] IReadOnlyList<double?> EnergyGap,
        [property: JsonPropertyName("seconds")] double Seconds);
}
