using System.Buffers.Binary;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// Where one pickle ends, found by stepping over its opcodes without building anything. torch.save's legacy format
/// writes several pickles back to back and then raw storage bytes, with no lengths between them, so the end of each
/// pickle must be found before the next part can be read. Every length an opcode declares is checked against the
/// bytes that remain: a truncated or hostile pickle is refused here, before the unpickler allocates anything for it.
/// </summary>
internal static class PickleExtent
{
    /// <summary>The offset just past the STOP opcode of the pickle that starts at <paramref name="start"/>.</summary>
    /// <exception cref="InvalidDataException">an opcode that no pickle protocol has, or a pickle that runs past the end.</exception>
    public static int EndOf(ReadOnlySpan<byte> data, int start)
    {
        var position = start;
        while (position < data.Length)
        {
            var opcode = data[position++];
            if (opcode == (byte)'.') return position;
            position += ArgumentLength(data[position..], opcode, position - 1);
        }
        throw new InvalidDataException($"the pickle at byte {start} runs past the end of the file (truncated)");
    }

    /// <summary>Bytes of the argument that follows <paramref name="opcode"/>, checked to lie within <paramref name="rest"/>.</summary>
    private static int ArgumentLength(ReadOnlySpan<byte> rest, byte opcode, int at) => opcode switch
    {
        // MARK POP POP_MARK DUP NONE REDUCE APPEND BUILD DICT EMPTY_DICT APPENDS LIST EMPTY_LIST OBJ SETITEM TUPLE
        // EMPTY_TUPLE SETITEMS BINPERSID
        (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or (byte)'R' or (byte)'a' or (byte)'b' or (byte)'d'
            or (byte)'}' or (byte)'e' or (byte)'l' or (byte)']' or (byte)'o' or (byte)'s' or (byte)'t' or (byte)')'
            or (byte)'u' or (byte)'Q' => 0,
        // NEWOBJ, TUPLE1-3, NEWTRUE, NEWFALSE (protocol 2); EMPTY_SET, ADDITEMS, FROZENSET, NEWOBJ_EX, STACK_GLOBAL,
        // MEMOIZE (4); NEXT_BUFFER, READONLY_BUFFER (5)
        0x81 or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or 0x8f or 0x90 or 0x91 or 0x92 or 0x93 or 0x94 or 0x97 or 0x98 => 0,
        // BININT1 BINGET BINPUT PROTO EXT1
        (byte)'K' or (byte)'h' or (byte)'q' or 0x80 or 0x82 => Fixed(rest, 1, at),
        // BININT2 EXT2
        (byte)'M' or 0x83 => Fixed(rest, 2, at),
        // BININT LONG_BINGET LONG_BINPUT EXT4
        (byte)'J' or (byte)'j' or (byte)'r' or 0x84 => Fixed(rest, 4, at),
        // BINFLOAT FRAME
        (byte)'G' or 0x95 => Fixed(rest, 8, at),
        // SHORT_BINSTRING SHORT_BINBYTES SHORT_BINUNICODE LONG1: a 1-byte length, then the bytes
        (byte)'U' or (byte)'C' or 0x8c or 0x8a => Counted(rest, 1, at),
        // BINSTRING BINBYTES BINUNICODE LONG4
        (byte)'T' or (byte)'B' or (byte)'X' or 0x8b => Counted(rest, 4, at),
        // BINUNICODE8 BINBYTES8 BYTEARRAY8
        0x8d or 0x8e or 0x96 => Counted(rest, 8, at),
        // INT LONG FLOAT STRING UNICODE GET PUT PERSID: one line of text
        (byte)'I' or (byte)'L' or (byte)'F' or (byte)'S' or (byte)'V' or (byte)'g' or (byte)'p' or (byte)'P' => Lines(rest, 1, at),
        // GLOBAL INST: module and name, a line each
        (byte)'c' or (byte)'i' => Lines(rest, 2, at),
        _ => throw new InvalidDataException($"byte {at} holds 0x{opcode:x2}, which is no pickle opcode"),
    };

    private static int Fixed(ReadOnlySpan<byte> rest, int length, int at) => length <= rest.Length
        ? length
        : throw Truncated(at);

    private static int Counted(ReadOnlySpan<byte> rest, int lengthBytes, int at)
    {
        if (lengthBytes > rest.Length) throw Truncated(at);
        var declared = lengthBytes switch
        {
            1 => rest[0],
            4 => BinaryPrimitives.ReadUInt32LittleEndian(rest),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(rest),
        };
        var available = (ulong)(rest.Length - lengthBytes);
        return declared <= available
            ? lengthBytes + (int)declared
            : throw new InvalidDataException($"the pickle opcode at byte {at} declares {declared} bytes but only {available} remain (truncated or corrupt)");
    }

    private static int Lines(ReadOnlySpan<byte> rest, int count, int at)
    {
        var length = 0;
        for (var line = 0; line < count; line++)
        {
            var end = rest[length..].IndexOf((byte)'\n');
            if (end < 0) throw Truncated(at);
            length += end + 1;
        }
        return length;
    }

    private static InvalidDataException Truncated(int at) => new($"the pickle opcode at byte {at} runs past the end of the file (truncated)");
}
