namespace RLDistributed.Core.Data;

/// <summary>A finite data set of float32 examples.</summary>
public interface IDataset
{
    /// <summary>e.g. "8gaussians", "mnist".</summary>
    string Name { get; }

    /// <summary>Number of examples.</summary>
    int Count { get; }

    /// <summary>[2] for 2-D points, [C, H, W] for images.</summary>
    int[] ExampleShape { get; }

    /// <summary>True for images (flips apply).</summary>
    bool IsImage { get; }

    /// <summary>Writes example <paramref name="index"/> as float32 in C,H,W order; images scaled x/127.5 − 1.</summary>
    void CopyExample(int index, Span<float> destination);
}
