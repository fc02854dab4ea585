using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation;

/// <summary>Samples as .npy for other tools, in the form each kind of tool expects.</summary>
public static class SampleArrays
{
    /// <summary>
    /// Images [N, C, H, W] in [−1, 1] become uint8 [N, H, W, C] after drl-spec.md §7's post-processing
    /// (clip((x+1)·127.5, 0, 255)), the layout of FID tools' sample files; other data is written as float32 as it is.
    /// </summary>
    public static void WriteNpy(string path, Tensor samples)
    {
        using var scope = NewDisposeScope();
        var values = samples.detach().cpu();
        if (values.dim() == 4)
        {
            var pixels = ((values.to(ScalarType.Float32) + 1) * 127.5).clamp(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous();
            NpyFile.Write(path, pixels.bytes, pixels.shape);
            return;
        }
        var floats = values.to(ScalarType.Float32).contiguous();
        NpyFile.Write(path, MemoryMarshal.Cast<byte, float>(floats.bytes), floats.shape);
    }
}
