using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace RLDistributed.Deploy.Tests.Support;

/// <summary>The part of Volcano's PodGroup the chart writes, so that strict parsing catches a misspelt field.</summary>
[KubernetesEntity(Group = "scheduling.volcano.sh", ApiVersion = "v1beta1", Kind = "PodGroup", PluralName = "podgroups")]
internal sealed class VolcanoPodGroup : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public VolcanoPodGroupSpec Spec { get; set; } = new();
}

/// <summary>PodGroup spec: how many pods must be schedulable together, and where.</summary>
internal sealed class VolcanoPodGroupSpec
{
    [JsonPropertyName("minMember")] public int MinMember { get; set; }
    [JsonPropertyName("queue")] public string? Queue { get; set; }
    [JsonPropertyName("priorityClassName")] public string? PriorityClassName { get; set; }
    [JsonPropertyName("minResources")] public Dictionary<string, ResourceQuantity>? MinResources { get; set; }
}
