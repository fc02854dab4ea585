namespace RLDistributed.IntegrationTests;

/// <summary>A temporary run directory, deleted with the test.</summary>
internal sealed class RunDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rld-it-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that was killed may still hold a file for a moment; the OS cleans /tmp.
        }
    }
}
