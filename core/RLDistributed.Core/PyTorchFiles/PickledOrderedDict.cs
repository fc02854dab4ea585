using System.Collections;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// A pickled <c>collections.OrderedDict</c>, such as a state dict. The unpickler fills it item by item; the state
/// that follows (a state dict's <c>_metadata</c>, the modules' versions) says nothing about the tensors and is dropped.
/// </summary>
internal sealed class PickledOrderedDict : Hashtable
{
    /// <summary>Called by the unpickler with the instance's attributes, which are not needed.</summary>
    public void __setstate__(Hashtable attributes)
    {
    }
}
