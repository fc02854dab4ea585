using RLDistributed.Core.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Imaging;

public sealed class ImageGridTests
{
    [Fact]
    public void SavePng_FourRgbImages_TwoByTwoGridWithExactPixels()
    {
        var path = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.png");
        try
        {
            using var scope = NewDisposeScope();
            var images = full([4, 3, 5, 6], -1f); // black
            images[1, 0] = ones(5, 6); // image 1 red
            ImageGrid.SavePng(images, path, columns: 2, gap: 2);

            using var bitmap = SKBitmap.Decode(path);
            Assert.Equal(2 * 6 + 3 * 2, bitmap.Width);
            Assert.Equal(2 * 5 + 3 * 2, bitmap.Height);
            Assert.Equal(new SKColor(0, 0, 0), bitmap.GetPixel(2, 2));
            Assert.Equal(new SKColor(255, 0, 0), bitmap.GetPixel(2 + 6 + 2, 2));
            Assert.Equal(SKColors.White, bitmap.GetPixel(0, 0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ToBytes_ClipsAndScalesAsTheSpec()
    {
        using var scope = NewDisposeScope();
        var bytes = ImageGrid.ToBytes(tensor(new[] { -2f, -1f, 0f, 1f, 3f }).reshape(1, 1, 1, 5));
        Assert.Equal(new byte[] { 0, 0, 127, 255, 255 }, bytes);
    }
}
