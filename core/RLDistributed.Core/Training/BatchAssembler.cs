using RLDistributed.Core.Data;
using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>Copies the examples of a plan slice into one float32 tensor [count, …shape], applying the planned flips.</summary>
public static class BatchAssembler
{
    /// <summary>Rows [start, start+count) of the plan, on <paramref name="device"/>.</summary>
    public static Tensor Assemble(IDataset dataset, BatchPlan plan, int start, int count, Device device)
    {
        var shape = dataset.ExampleShape;
        var exampleSize = shape.Aggregate(1, (a, b) => a * b);
        var buffer = new float[count * exampleSize];
        for (var i = 0; i < count; i++)
        {
            var row = buffer.AsSpan(i * exampleSize, exampleSize);
            dataset.CopyExample(plan.ExampleIndices[start + i], row);
            if (dataset.IsImage && plan.Flips[start + i]) FlipHorizontally(row, shape);
        }
        var batchShape = new long[shape.Length + 1];
        batchShape[0] = count;
        for (var d = 0; d < shape.Length; d++) batchShape[d + 1] = shape[d];
        var cpu = tensor(buffer, batchShape);
        if (device.type == TorchSharp.DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }

    /// <summary>Mirrors every row of every channel of a [C, H, W] image in place.</summary>
    private static void FlipHorizontally(Span<float> image, int[] shape)
    {
        var width = shape[^1];
        for (var offset = 0; offset < image.Length; offset += width) image.Slice(offset, width).Reverse();
    }
}
