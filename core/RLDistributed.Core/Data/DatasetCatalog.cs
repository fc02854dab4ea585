namespace RLDistributed.Core.Data;

/// <summary>Opens any data set the trainer knows by name: image sets from disk, toy sets generated.</summary>
public static class DatasetCatalog
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Base name of the IDX training images.</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>Base name of the IDX training labels.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>Image set names; the toy names follow in <see cref="Names"/>.</summary>
    public static IReadOnlyList<string> ImageNames { get; } = ["mnist", "fashion-mnist", "cifar10"];

    /// <summary>Every name <see cref="Open"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ImageNames, .. ToyDatasets.Names];

    /// <summary>
    /// Opens data set <paramref name="name"/>. <paramref name="path"/> is the directory of an image set
    /// (fashion-mnist defaults to <see cref="DefaultFashionMnistDirectory"/>) and is ignored for toy sets, which
    /// have <see cref="ToyDatasets.DefaultCount"/> points drawn with <paramref name="seed"/>.
    /// <paramref name="padTo32"/> pads 28×28 IDX images to 32×32.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists valid names), or no path for mnist/cifar10; the
    /// message is meant to be shown as it is (rld prints it after the flag), so it carries no parameter name.</exception>
    /// <exception cref="DataFormatException">A data file is missing or malformed.</exception>
    public static IDataset Open(string name, string? path, bool padTo32, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.ToLowerInvariant())
        {
            case "mnist":
                return OpenIdx("mnist", path ?? throw NeedsPath(name), padTo32);
            case "fashion-mnist":
                return OpenIdx("fashion-mnist", path ?? DefaultFashionMnistDirectory, padTo32);
            case "cifar10":
                return CifarReader.ReadDirectory(path ?? throw NeedsPath(name));
            default:
                if (ToyDatasets.IsToy(name)) return ToyDatasets.Create(name, ToyDatasets.DefaultCount, seed);
                throw new ArgumentException($"unknown data set '{name}'; valid names: {string.Join(", ", Names)}");
        }
    }

    private static ImageDataset OpenIdx(string name, string path, bool padTo32)
    {
        // A file path names the images directly; a directory holds the standard file names.
        if (File.Exists(path)) return IdxReader.ReadImages(path, padTo32, name);
        if (!Directory.Exists(path)) throw new DataFormatException(path, "directory not found");
        var images = IdxReader.Find(path, TrainImages)
            ?? throw DataFormatException.NotFound(Path.Combine(path, TrainImages + "[.gz]"));
        return IdxReader.ReadImages(images, padTo32, name, IdxReader.Find(path, TrainLabels));
    }

    private static ArgumentException NeedsPath(string name) =>
        new($"data set '{name}' needs a path to the directory that holds its files");
}
