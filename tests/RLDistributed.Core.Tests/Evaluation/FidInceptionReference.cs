using System.Runtime.InteropServices;
using RLDistributed.Core.Evaluation.Quality;
using RLDistributed.Tests.Shared;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>
/// What tests/peers/fid_inception_reference.py writes, once for the tests that share it: the FID Inception network
/// with seeded random weights in both torch.save formats, a few images with the features PyTorch computes for them,
/// and files a reader must refuse. The C# network loaded from the legacy file is built on first use.
/// </summary>
public sealed class FidInceptionReference : IDisposable
{
    /// <summary>Images per set, as the script writes them.</summary>
    public const int ImagesPerSet = 2;

    private readonly Lazy<InceptionFeatures> _extractor;

    public FidInceptionReference()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rld-fid-reference-").FullName;
        PyTorchPeer.Run("fid_inception_reference.py", Directory);
        _extractor = new Lazy<InceptionFeatures>(() => new InceptionFeatures(this["weights-legacy.pth"]));
    }

    /// <summary>The folder of the script's files.</summary>
    public string Directory { get; }

    /// <summary>The path of one of the script's files.</summary>
    public string this[string name] => Path.Combine(Directory, name);

    /// <summary>The extractor with the reference weights (loaded from the legacy-format file).</summary>
    public InceptionFeatures Extractor => _extractor.Value;

    /// <summary>The images of set <paramref name="name"/> ("grey" or "rgb"): [2, C, 32, 32] in [−1, 1].</summary>
    public Tensor Images(string name) => Floats($"images-{name}.f32", ImagesPerSet, name == "grey" ? 1 : 3, 32, 32);

    /// <summary>PyTorch's pool3 features of those images: [2, 2048].</summary>
    public Tensor Features(string name) => Floats($"features-{name}.f32", ImagesPerSet, 2048);

    private Tensor Floats(string file, params long[] shape) =>
        tensor(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(this[file])).ToArray()).reshape(shape);

    public void Dispose()
    {
        if (_extractor.IsValueCreated) _extractor.Value.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
