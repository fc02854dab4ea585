using System.Text.Json;

namespace RLDistributed.Coordinator.Checkpointing;

/// <summary>
/// The coordinator's journal on the checkpoint volume (<c>coordinator-journal.jsonl</c>): one JSON line per
/// formed generation and per committed checkpoint, each synced to disk before the event takes effect. A
/// restarted coordinator reads it back to continue the run rather than start another. A torn last line (a
/// crash mid-write) is ignored.
/// </summary>
public sealed class CoordinatorJournal(string directory)
{
    /// <summary>The journal's file name.</summary>
    public const string FileName = "coordinator-journal.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();

    /// <summary>The journal file.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>Appends <paramref name="entry"/> and syncs it.</summary>
    public void Append(JournalEntry entry)
    {
        lock (_gate)
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            var line = JsonSerializer.SerializeToUtf8Bytes(entry, Json);
            stream.Write(line);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>The entries of <paramref name="runId"/>, oldest first (none when there is no journal).</summary>
    public IReadOnlyList<JournalEntry> Read(string runId)
    {
        if (!File.Exists(Path)) return [];
        var entries = new List<JournalEntry>();
        foreach (var line in File.ReadLines(Path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<JournalEntry>(line, Json) is { } entry && entry.RunId == runId) entries.Add(entry);
            }
            catch (JsonException)
            {
                // A line cut off by a crash; everything before it is intact.
            }
        }
        return entries;
    }
}
