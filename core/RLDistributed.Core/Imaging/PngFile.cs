using SkiaSharp;

namespace RLDistributed.Core.Imaging;

/// <summary>Writes a bitmap as PNG through a temporary file, so a reader never sees half a picture.</summary>
public static class PngFile
{
    /// <summary>Encodes and writes <paramref name="bitmap"/> to <paramref name="path"/>, creating the directory.</summary>
    public static void Write(SKBitmap bitmap, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary)) data.SaveTo(file);
        File.Move(temporary, path, overwrite: true);
    }
}
