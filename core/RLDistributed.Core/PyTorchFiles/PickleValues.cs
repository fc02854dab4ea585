namespace RLDistributed.Core.PyTorchFiles;

/// <summary>Python values as the unpickler hands them over, checked and converted.</summary>
internal static class PickleValues
{
    /// <summary>A Python int that fits 64 bits (the unpickler gives int or long, or BigInteger beyond 64 bits).</summary>
    public static long Integer(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        _ => throw new InvalidDataException($"{what} is {Describe(value)}, not a 64-bit integer"),
    };

    /// <summary>A tuple of such ints (a shape or a stride).</summary>
    public static long[] Integers(object? value, string what) => value is object[] items
        ? Array.ConvertAll(items, item => Integer(item, what))
        : throw new InvalidDataException($"{what} is {Describe(value)}, not a tuple of integers");

    /// <summary>The type of a value, for messages.</summary>
    public static string Describe(object? value) => value?.GetType().Name ?? "None";
}
