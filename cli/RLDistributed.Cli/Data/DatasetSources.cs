namespace RLDistributed.Cli.Data;

/// <summary>
/// The public sources <c>rld data fetch</c> knows. Sizes and SHA-256 values are the published ones
/// (TensorFlow Datasets / torchvision checksum lists); the Debian dataset-fashion-mnist files are
/// recompressed and do NOT match them.
/// </summary>
public static class DatasetSources
{
    /// <summary>MNIST on the Google mirror TensorFlow uses (yann.lecun.com now refuses most clients).</summary>
    public static DatasetSource Mnist { get; } = new("mnist", new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
    [
        new("train-images-idx3-ubyte.gz", 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        new("train-labels-idx1-ubyte.gz", 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        new("t10k-images-idx3-ubyte.gz", 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        new("t10k-labels-idx1-ubyte.gz", 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    ]);

    /// <summary>Fashion-MNIST from Zalando's S3 bucket (the website endpoint serves plain HTTP only; the hash guards it).</summary>
    public static DatasetSource FashionMnist { get; } = new("fashion-mnist", new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
    [
        new("train-images-idx3-ubyte.gz", 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
        new("train-labels-idx1-ubyte.gz", 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
        new("t10k-images-idx3-ubyte.gz", 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        new("t10k-labels-idx1-ubyte.gz", 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    ]);

    /// <summary>CIFAR-10, binary version, from the University of Toronto; unpacks to cifar-10-batches-bin/.</summary>
    public static DatasetSource Cifar10 { get; } = new("cifar10", new Uri("https://www.cs.toronto.edu/~kriz/"),
    [
        new("cifar-10-binary.tar.gz", 170_052_171, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"),
    ], ExtractTarGz: true);

    /// <summary>Every source, in help order.</summary>
    public static IReadOnlyList<DatasetSource> All { get; } = [Mnist, FashionMnist, Cifar10];

    /// <summary>The source named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static DatasetSource? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
