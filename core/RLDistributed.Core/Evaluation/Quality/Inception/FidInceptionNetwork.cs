using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>
/// The Inception v3 of FID, as pytorch-fid builds it from torchvision's Inception3 (1008 classes, no auxiliary
/// classifier, its FID variants of the A, C and E blocks), with the parameter names of its weights file. The forward
/// pass takes images already at 299×299 in [−1, 1] and returns the 2048 averages after Mixed_7c (pool3), the
/// features FID compares. <c>fc</c> is not used by FID but is part of the weights file, and is loaded with the rest.
/// </summary>
internal sealed class FidInceptionNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>pool3 features per image.</summary>
    public const int FeatureCount = 2048;

    /// <summary>Classes of the final layer: the 1008 outputs of the 2015 TensorFlow graph.</summary>
    public const int ClassCount = 1008;

    [ComponentName(Name = "Conv2d_1a_3x3")] private readonly BasicConv2d _conv1a;
    [ComponentName(Name = "Conv2d_2a_3x3")] private readonly BasicConv2d _conv2a;
    [ComponentName(Name = "Conv2d_2b_3x3")] private readonly BasicConv2d _conv2b;
    [ComponentName(Name = "Conv2d_3b_1x1")] private readonly BasicConv2d _conv3b;
    [ComponentName(Name = "Conv2d_4a_3x3")] private readonly BasicConv2d _conv4a;
    [ComponentName(Name = "Mixed_5b")] private readonly InceptionA _mixed5b;
    [ComponentName(Name = "Mixed_5c")] private readonly InceptionA _mixed5c;
    [ComponentName(Name = "Mixed_5d")] private readonly InceptionA _mixed5d;
    [ComponentName(Name = "Mixed_6a")] private readonly InceptionB _mixed6a;
    [ComponentName(Name = "Mixed_6b")] private readonly InceptionC _mixed6b;
    [ComponentName(Name = "Mixed_6c")] private readonly InceptionC _mixed6c;
    [ComponentName(Name = "Mixed_6d")] private readonly InceptionC _mixed6d;
    [ComponentName(Name = "Mixed_6e")] private readonly InceptionC _mixed6e;
    [ComponentName(Name = "Mixed_7a")] private readonly InceptionD _mixed7a;
    [ComponentName(Name = "Mixed_7b")] private readonly InceptionE _mixed7b;
    [ComponentName(Name = "Mixed_7c")] private readonly InceptionE _mixed7c;
    [ComponentName(Name = "fc")] private readonly Linear _fc;

    /// <summary>Creates the network with untrained parameters; <see cref="FidInceptionWeights"/> loads the real ones.</summary>
    public FidInceptionNetwork() : base("fid_inception")
    {
        _conv1a = new BasicConv2d("Conv2d_1a_3x3", 3, 32, 3, stride: 2);
        _conv2a = new BasicConv2d("Conv2d_2a_3x3", 32, 32, 3);
        _conv2b = new BasicConv2d("Conv2d_2b_3x3", 32, 64, 3, padding: 1);
        _conv3b = new BasicConv2d("Conv2d_3b_1x1", 64, 80, 1);
        _conv4a = new BasicConv2d("Conv2d_4a_3x3", 80, 192, 3);
        _mixed5b = new InceptionA("Mixed_5b", 192, poolFeatures: 32);
        _mixed5c = new InceptionA("Mixed_5c", 256, poolFeatures: 64);
        _mixed5d = new InceptionA("Mixed_5d", 288, poolFeatures: 64);
        _mixed6a = new InceptionB("Mixed_6a", 288);
        _mixed6b = new InceptionC("Mixed_6b", 768, channels7x7: 128);
        _mixed6c = new InceptionC("Mixed_6c", 768, channels7x7: 160);
        _mixed6d = new InceptionC("Mixed_6d", 768, channels7x7: 160);
        _mixed6e = new InceptionC("Mixed_6e", 768, channels7x7: 192);
        _mixed7a = new InceptionD("Mixed_7a", 768);
        _mixed7b = new InceptionE("Mixed_7b", 1280, maxPool: false);
        _mixed7c = new InceptionE("Mixed_7c", FeatureCount, maxPool: true);
        _fc = nn.Linear(FeatureCount, ClassCount);
        RegisterComponents();
    }

    /// <summary>pool3 features [N, 2048] of images [N, 3, 299, 299] in [−1, 1].</summary>
    public override Tensor forward(Tensor input)
    {
        var x = _conv2b.forward(_conv2a.forward(_conv1a.forward(input)));
        x = InceptionPooling.Reduce(x);
        x = _conv4a.forward(_conv3b.forward(x));
        x = InceptionPooling.Reduce(x);
        foreach (var block in new nn.Module<Tensor, Tensor>[] { _mixed5b, _mixed5c, _mixed5d, _mixed6a, _mixed6b, _mixed6c, _mixed6d, _mixed6e, _mixed7a, _mixed7b, _mixed7c })
            x = block.forward(x);
        return nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
    }
}
