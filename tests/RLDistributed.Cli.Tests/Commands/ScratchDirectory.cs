namespace RLDistributed.Cli.Tests.Commands;

/// <summary>A fresh temporary directory, deleted with everything in it on dispose.</summary>
internal sealed class ScratchDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
