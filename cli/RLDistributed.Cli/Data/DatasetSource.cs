namespace RLDistributed.Cli.Data;

/// <summary>
/// Where a data set is published: the files under <paramref name="BaseAddress"/>, and whether each
/// file is a .tar.gz to unpack into the target directory (CIFAR-10).
/// </summary>
public sealed record DatasetSource(string Name, Uri BaseAddress, IReadOnlyList<RemoteFile> Files, bool ExtractTarGz = false);
