using System.Buffers;
using System.Runtime.InteropServices;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The bytes of a float buffer as <see cref="Memory{T}"/> of bytes, so that a stream reads a chunk straight into the
/// ring buffer and writes it straight from there. Without it every chunk went through a pooled byte array and one
/// more copy on each side (2 of every 3 passes over the bytes at N = 2 were such copies).
/// </summary>
internal sealed unsafe class FloatBytes(Memory<float> floats) : MemoryManager<byte>
{
    private readonly Stack<MemoryHandle> _pins = new();

    /// <summary>The bytes of <paramref name="floats"/>, for writing.</summary>
    public static ReadOnlyMemory<byte> Of(ReadOnlyMemory<float> floats) => new FloatBytes(MemoryMarshal.AsMemory(floats)).Memory;

    /// <summary>The bytes of <paramref name="floats"/>, for reading into.</summary>
    public static Memory<byte> Of(Memory<float> floats) => new FloatBytes(floats).Memory;

    /// <inheritdoc />
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(floats.Span);

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        // Sockets pin the memory for the length of an operation; the float memory pins its array (or is native already).
        var pin = floats.Pin();
        lock (_pins) _pins.Push(pin);
        return new MemoryHandle((byte*)pin.Pointer + elementIndex, pinnable: this);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
        MemoryHandle pin;
        lock (_pins) pin = _pins.Pop();
        pin.Dispose();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        lock (_pins)
        {
            while (_pins.Count > 0) _pins.Pop().Dispose();
        }
    }
}
