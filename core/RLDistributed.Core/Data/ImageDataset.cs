namespace RLDistributed.Core.Data;

/// <summary>Images held as uint8 [N, C, H, W] (a quarter of the float32 size), scaled to [−1, 1] on copy.</summary>
public sealed class ImageDataset : IDataset
{
    // x/127.5 − 1 for every byte value, so CopyExample is a table lookup.
    private static readonly float[] Scale = Enumerable.Range(0, 256).Select(v => (float)(v / 127.5 - 1.0)).ToArray();

    private readonly byte[] _pixels;
    private readonly byte[]? _labels;
    private readonly int _exampleSize;

    /// <summary>Wraps <paramref name="pixels"/> laid out [N, C, H, W]; neither array is copied.</summary>
    /// <exception cref="ArgumentException">The lengths do not fit the shape, or the labels do not match N.</exception>
    public ImageDataset(string name, byte[] pixels, int channels, int height, int width, byte[]? labels = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        _exampleSize = checked(channels * height * width);
        if (pixels.Length % _exampleSize != 0)
            throw new ArgumentException($"{pixels.Length} bytes is not a whole number of {channels}×{height}×{width} images", nameof(pixels));
        var count = pixels.Length / _exampleSize;
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"{labels.Length} labels for {count} images", nameof(labels));

        Name = name;
        _pixels = pixels;
        _labels = labels;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>Channels C (1 for MNIST, 3 for CIFAR-10).</summary>
    public int Channels { get; }

    /// <summary>Height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Width W in pixels.</summary>
    public int Width { get; }

    /// <inheritdoc />
    public int[] ExampleShape => [Channels, Height, Width];

    /// <inheritdoc />
    public bool IsImage => true;

    /// <summary>Class labels, one per image, or null when the source had none.</summary>
    public IReadOnlyList<byte>? Labels => _labels;

    /// <summary>Raw uint8 pixels of example <paramref name="index"/>, C,H,W order.</summary>
    public ReadOnlySpan<byte> GetPixels(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _pixels.AsSpan(index * _exampleSize, _exampleSize);
    }

    /// <inheritdoc />
    public void CopyExample(int index, Span<float> destination)
    {
        var source = GetPixels(index);
        if (destination.Length < source.Length)
            throw new ArgumentException($"destination holds {destination.Length} floats, an example needs {source.Length}", nameof(destination));
        for (var i = 0; i < source.Length; i++) destination[i] = Scale[source[i]];
    }
}
