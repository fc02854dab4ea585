using SkiaSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Imaging;

/// <summary>Writes a batch of images as one PNG grid, post-processed as drl-spec.md §7: clip((x+1)·127.5, 0, 255) → uint8.</summary>
public static class ImageGrid
{
    /// <summary>Saves images [B, C, H, W] in [−1, 1] (C = 1 or 3) as a grid of <paramref name="columns"/> columns with a 2-pixel gap.</summary>
    public static void SavePng(Tensor images, string path, int columns = 0, int gap = 2)
    {
        if (images.dim() != 4) throw new ArgumentException($"expected images [B, C, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        var (count, channels, height, width) = ((int)images.shape[0], (int)images.shape[1], (int)images.shape[2], (int)images.shape[3]);
        if (channels is not (1 or 3)) throw new ArgumentException($"expected 1 or 3 channels, got {channels}", nameof(images));
        if (columns <= 0) columns = (int)Math.Ceiling(Math.Sqrt(count));
        var rows = (count + columns - 1) / columns;
        var pixels = ToBytes(images);

        using var bitmap = new SKBitmap(columns * width + (columns + 1) * gap, rows * height + (rows + 1) * gap, SKColorType.Rgba8888, SKAlphaType.Opaque);
        bitmap.Erase(SKColors.White);
        var plane = height * width;
        for (var n = 0; n < count; n++)
        {
            var left = gap + (n % columns) * (width + gap);
            var top = gap + (n / columns) * (height + gap);
            var image = n * channels * plane;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var at = image + y * width + x;
                    var r = pixels[at];
                    var g = channels == 3 ? pixels[at + plane] : r;
                    var b = channels == 3 ? pixels[at + 2 * plane] : r;
                    bitmap.SetPixel(left + x, top + y, new SKColor(r, g, b));
                }
            }
        }
        PngFile.Write(bitmap, path);
    }

    /// <summary>clip((x+1)·127.5, 0, 255) as bytes in C,H,W order per image.</summary>
    public static byte[] ToBytes(Tensor images)
    {
        using var scope = NewDisposeScope();
        var scaled = ((images.detach().cpu().to(ScalarType.Float32) + 1) * 127.5).clamp(0, 255).to(ScalarType.Byte);
        return scaled.data<byte>().ToArray();
    }
}
