namespace RLDistributed.Core.Data;

/// <summary>A finite, random-access set of training examples (2-D points or images).</summary>
public interface IDataset
{
    /// <summary>Catalog name, e.g. "8gaussians", "mnist".</summary>
    string Name { get; }

    /// <summary>Number of examples.</summary>
    int Count { get; }

    /// <summary>Shape of one example: [2] for 2-D points, [C, H, W] for images.</summary>
    int[] ExampleShape { get; }

    /// <summary>True for images (C, H, W), false for points.</summary>
    bool IsImage { get; }

    /// <summary>
    /// Writes example <paramref name="index"/> as float32 in C,H,W order, images scaled uint8 → x/127.5 − 1 (range [−1, 1]).
    /// </summary>
    void CopyExample(int index, Span<float> destination);
}
