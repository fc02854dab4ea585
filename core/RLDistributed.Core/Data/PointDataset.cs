namespace RLDistributed.Core.Data;

/// <summary>An in-memory set of 2-D points, stored as interleaved (x, y) float32.</summary>
public class PointDataset : IDataset
{
    private readonly float[] _xy;

    /// <summary>Wraps <paramref name="xy"/> (x0, y0, x1, y1, …); the array is not copied.</summary>
    public PointDataset(string name, float[] xy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(xy);
        if (xy.Length % 2 != 0) throw new ArgumentException($"xy must hold pairs, got {xy.Length} values", nameof(xy));
        Name = name;
        _xy = xy;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Count => _xy.Length / 2;

    /// <inheritdoc />
    public int[] ExampleShape => [2];

    /// <inheritdoc />
    public bool IsImage => false;

    /// <summary>Point <paramref name="index"/>.</summary>
    public (double X, double Y) this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return (_xy[2 * index], _xy[2 * index + 1]);
        }
    }

    /// <inheritdoc />
    public void CopyExample(int index, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        _xy.AsSpan(2 * index, 2).CopyTo(destination);
    }
}
