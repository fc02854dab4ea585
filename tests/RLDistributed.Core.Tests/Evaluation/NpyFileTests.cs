using RLDistributed.Core.Evaluation;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

public sealed class NpyFileTests
{
    [Theory]
    [InlineData(new long[] { 7 }, "(7,)")]
    [InlineData(new long[] { 500, 2 }, "(500, 2)")]
    [InlineData(new long[] { 4, 32, 32, 3 }, "(4, 32, 32, 3)")]
    public void Header_DataStartsOnA64ByteBoundary(long[] shape, string tuple)
    {
        var header = NpyFile.Header("<f4", shape);

        Assert.Equal(0, (10 + header.Length) % 64);
        Assert.EndsWith("\n", header);
        Assert.StartsWith($"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}", header);
    }

    [Fact]
    public void WriteNpy_Images_Uint8ChannelsLast()
    {
        // Two 2×2 RGB images: red channel −1 (→ 0), green 0 (→ 127), blue 1 (→ 255).
        using var images = stack([full(2, 2, -1f), full(2, 2, 0f), full(2, 2, 1f)]).unsqueeze(0).expand(2, 3, 2, 2).contiguous();
        var path = Path.Combine(Path.GetTempPath(), $"rld-{Guid.NewGuid():N}.npy");
        try
        {
            SampleArrays.WriteNpy(path, images);
            var bytes = File.ReadAllBytes(path);
            var headerLength = BitConverter.ToUInt16(bytes, 8);
            var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
            var data = bytes.AsSpan(10 + headerLength).ToArray();

            Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
            Assert.Contains("'descr': '|u1'", header);
            Assert.Contains("'shape': (2, 2, 2, 3)", header);
            Assert.Equal(2 * 2 * 2 * 3, data.Length);
            Assert.Equal(new byte[] { 0, 127, 255 }, data[..3]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
