using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// Packs parameter gradients into flat float32 buckets for the ring all-reduce and writes the reduced values back
/// into <c>.grad</c>. Buckets hold parameters in reverse order (the last layers' gradients are ready first in
/// backward), each parameter wholly in one bucket; a parameter larger than a bucket gets a bucket of its own.
/// </summary>
/// <remarks>
/// CPU gradients are read and written through <c>tensor.bytes</c> (memcpy speed; <c>data&lt;float&gt;()</c> was 30×
/// slower, perf-notes.md). A gradient on another device goes through a reusable host tensor per bucket.
/// A parameter whose <c>.grad</c> is null contributes zeros and is not written back.
/// </remarks>
public sealed class GradientBuckets : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Bucket[] _buckets;
    private readonly (int Bucket, Slot Slot)[] _places;

    /// <summary>Lays out the buckets for <paramref name="parameters"/> (in module order).</summary>
    /// <param name="parameters">The parameters, e.g. <c>module.parameters()</c>; all float32.</param>
    /// <param name="bucketBytes">The size limit of a bucket. Defaults to 25 MiB.</param>
    public GradientBuckets(IEnumerable<Parameter> parameters, long bucketBytes = RingAllReduceConstants.DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (bucketBytes is < RingAllReduceConstants.MinBucketBytes or > RingAllReduceConstants.MaxBucketBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes,
                $"Bucket size ({bucketBytes} bytes) must lie in {RingAllReduceConstants.MinBucketBytes} .. {RingAllReduceConstants.MaxBucketBytes}.");
        }

        _parameters = parameters.ToArray();
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].dtype != ScalarType.Float32)
            {
                throw new NotSupportedException($"Parameter {i} is {_parameters[i].dtype}; gradient buckets hold float32 only.");
            }
        }

        _buckets = Layout(_parameters, bucketBytes / sizeof(float));
        _places = new (int, Slot)[_parameters.Length];
        for (var b = 0; b < _buckets.Length; b++)
        {
            foreach (var slot in _buckets[b].Slots)
            {
                _places[slot.Parameter] = (b, slot);
            }
        }
    }

    /// <summary>The number of parameters laid out.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The number of buckets.</summary>
    public int Count => _buckets.Length;

    /// <summary>The indices (in module order) of the parameters in bucket <paramref name="bucket"/>, in bucket order.</summary>
    public IReadOnlyList<int> ParametersOf(int bucket) => _buckets[bucket].Slots.Select(s => s.Parameter).ToArray();

    /// <summary>The number of floats in bucket <paramref name="bucket"/>.</summary>
    public int FloatsIn(int bucket) => _buckets[bucket].Buffer.Length;

    /// <summary>The index of the bucket that holds parameter <paramref name="parameter"/> (in module order).</summary>
    public int BucketOf(int parameter) => _places[parameter].Bucket;

    /// <summary>Bucket <paramref name="bucket"/>'s flat buffer, as <see cref="Pack"/> leaves it.</summary>
    public Memory<float> BufferOf(int bucket) => _buckets[bucket].Buffer;

    /// <summary>Copies the current gradients of bucket <paramref name="bucket"/> into its flat buffer and returns it.</summary>
    public Memory<float> Pack(int bucket)
    {
        foreach (var slot in _buckets[bucket].Slots)
        {
            PackParameter(slot.Parameter);
        }

        return _buckets[bucket].Buffer;
    }

    /// <summary>Copies parameter <paramref name="parameter"/>'s current <c>.grad</c> (zeros when it has none) into its bucket's buffer.</summary>
    public void PackParameter(int parameter)
    {
        using var scope = NewDisposeScope();
        CopyIn(parameter, _parameters[parameter].grad);
    }

    /// <summary>
    /// Copies <paramref name="gradient"/> (zeros when null) into parameter <paramref name="parameter"/>'s place in its
    /// bucket's buffer. Parameters have disjoint places, so the backward's thread may fill one bucket while another
    /// thread reduces a bucket already filled.
    /// </summary>
    /// <exception cref="ArgumentException">The gradient's size is not the parameter's.</exception>
    public void CopyIn(int parameter, Tensor? gradient)
    {
        var (bucket, slot) = _places[parameter];
        var b = _buckets[bucket];
        var target = b.Buffer.AsSpan(slot.Offset, slot.Length);
        if (gradient is null)
        {
            target.Clear();
            return;
        }

        if (gradient.numel() != slot.Length)
        {
            throw new ArgumentException($"The gradient of parameter {parameter} has {gradient.numel()} elements; the parameter has {slot.Length}.", nameof(gradient));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (gradient.device_type == DeviceType.CPU)
        {
            MemoryMarshal.Cast<byte, float>(gradient.contiguous().bytes).CopyTo(target);
        }
        else
        {
            var staging = b.Staging(slot);
            staging.copy_(gradient.reshape(-1));
            MemoryMarshal.Cast<byte, float>(staging.bytes).CopyTo(target);
        }
    }

    /// <summary>Writes bucket <paramref name="bucket"/>'s flat buffer back into the parameters' <c>.grad</c>.</summary>
    public void Unpack(int bucket)
    {
        var b = _buckets[bucket];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var slot in b.Slots)
        {
            var grad = _parameters[slot.Parameter].grad;
            if (grad is null)
            {
                continue;
            }

            var source = b.Buffer.AsSpan(slot.Offset, slot.Length);
            if (grad.device_type == DeviceType.CPU && grad.is_contiguous())
            {
                source.CopyTo(MemoryMarshal.Cast<byte, float>(grad.bytes));
            }
            else
            {
                var staging = b.Staging(slot);
                source.CopyTo(MemoryMarshal.Cast<byte, float>(staging.bytes));
                grad.copy_(staging.view(grad.shape));
            }
        }
    }

    /// <summary>
    /// Sums every gradient over the ring, bucket after bucket; bucket i+1 is packed while bucket i is reduced,
    /// and bucket i is written back while bucket i+1 is reduced.
    /// </summary>
    public async Task AllReduceAsync(RingAllReduce ring, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (_buckets.Length == 0)
        {
            return;
        }

        var reducing = ring.AllReduceAsync(Pack(0), ct);
        for (var i = 0; i < _buckets.Length; i++)
        {
            var next = i + 1 < _buckets.Length ? Pack(i + 1) : Memory<float>.Empty;
            await reducing.ConfigureAwait(false);
            reducing = i + 1 < _buckets.Length ? ring.AllReduceAsync(next, ct) : Task.CompletedTask;
            Unpack(i);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in _buckets)
        {
            b.Dispose();
        }
    }

    private static Bucket[] Layout(Parameter[] parameters, long bucketFloats)
    {
        var buckets = new List<Bucket>();
        var slots = new List<Slot>();
        var filled = 0L;
        for (var i = parameters.Length - 1; i >= 0; i--)
        {
            var length = parameters[i].numel();
            if (length > int.MaxValue)
            {
                throw new NotSupportedException($"Parameter {i} has {length} elements; at most {int.MaxValue} fit in a bucket.");
            }

            if (slots.Count > 0 && filled + length > bucketFloats)
            {
                buckets.Add(new Bucket(slots.ToArray(), (int)filled));
                slots.Clear();
                filled = 0;
            }

            slots.Add(new Slot(i, (int)filled, (int)length));
            filled += length;
        }

        if (slots.Count > 0)
        {
            buckets.Add(new Bucket(slots.ToArray(), (int)filled));
        }

        return buckets.ToArray();
    }

    private readonly record struct Slot(int Parameter, int Offset, int Length);

    private sealed class Bucket(Slot[] slots, int floats) : IDisposable
    {
        private Tensor? _staging;

        public Slot[] Slots { get; } = slots;

        public float[] Buffer { get; } = new float[floats];

        /// <summary>A view of this bucket's reusable host tensor for one slot (allocated on first use).</summary>
        public Tensor Staging(Slot slot)
        {
            if (_staging is null)
            {
                _staging = empty(Buffer.Length, ScalarType.Float32, CPU);
                _staging.DetachFromDisposeScope();
            }

            return _staging.narrow(0, slot.Offset, slot.Length);
        }

        public void Dispose() => _staging?.Dispose();
    }
}
