using System.Reflection;
using k8s;
using k8s.Models;

namespace RLDistributed.Deploy.Tests.Support;

/// <summary>
/// Rendered YAML parsed into the typed Kubernetes models. Parsing is strict: a field that is not part of a
/// resource's schema (a typo, a wrong indentation) fails here as it would fail in the API server.
/// </summary>
internal sealed class RenderedManifests(IReadOnlyList<object> objects)
{
    private static readonly Dictionary<string, Type> TypeMap = BuildTypeMap();

    public IReadOnlyList<object> Objects { get; } = objects;

    public static RenderedManifests Parse(string yaml) => new(KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true));

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    /// <summary>The one object of type <typeparamref name="T"/> (optionally with that name).</summary>
    public T Single<T>(string? name = null) where T : IMetadata<V1ObjectMeta> =>
        Assert.Single(All<T>(), o => name is null || o.Metadata.Name == name);

    public IEnumerable<IMetadata<V1ObjectMeta>> WithMetadata() => Objects.OfType<IMetadata<V1ObjectMeta>>();

    public V1StatefulSet Workers => Single<V1StatefulSet>();

    public V1Deployment Coordinator => Single<V1Deployment>();

    public V1Container WorkerContainer => Assert.Single(Workers.Spec.Template.Spec.Containers);

    public V1Container CoordinatorContainer => Assert.Single(Coordinator.Spec.Template.Spec.Containers);

    /// <summary>The test pod that <c>helm test</c> runs.</summary>
    public V1Pod TestPod => Assert.Single(All<V1Pod>(), p => p.Metadata.Annotations is { } a && a.TryGetValue("helm.sh/hook", out var hook) && hook == "test");

    private static Dictionary<string, Type> BuildTypeMap()
    {
        var entities = typeof(V1Pod).Assembly.GetTypes().Append(typeof(VolcanoPodGroup))
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(e => e.Entity is { Kind.Length: > 0 });
        var map = new Dictionary<string, Type>();
        foreach (var (type, entity) in entities)
        {
            var apiVersion = string.IsNullOrEmpty(entity!.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            map.TryAdd($"{apiVersion}/{entity.Kind}", type);
        }
        return map;
    }
}
