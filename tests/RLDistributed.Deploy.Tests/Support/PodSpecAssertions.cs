using k8s.Models;

namespace RLDistributed.Deploy.Tests.Support;

/// <summary>Checks that hold for every pod the chart and the overlays run.</summary>
internal static class PodSpecAssertions
{
    /// <summary>
    /// Every subPath a container mounts is made by an init container (mkdir -p under its mount of the same
    /// volume) first, so that it belongs to the pod's user rather than to the kubelet's root.
    /// </summary>
    public static void SubPathsAreCreatedFirst(V1PodSpec pod)
    {
        var subPaths = pod.Containers.SelectMany(c => c.VolumeMounts ?? []).Where(m => !string.IsNullOrEmpty(m.SubPath)).ToList();
        Assert.NotEmpty(subPaths);
        foreach (var mount in subPaths)
        {
            var created = (pod.InitContainers ?? []).Any(init =>
                init.Command is ["mkdir", "-p", ..] &&
                init.VolumeMounts.Any(m => m.Name == mount.Name && init.Command.Contains($"{m.MountPath}/{mount.SubPath}")));
            Assert.True(created, $"no init container creates subPath '{mount.SubPath}' of volume '{mount.Name}'");
        }
    }

    /// <summary>Non-root, no privilege escalation, read-only root, no capabilities: for every container, init containers too.</summary>
    public static void IsLockedDown(V1PodSpec pod)
    {
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
        {
            var context = container.SecurityContext;
            Assert.False(context.AllowPrivilegeEscalation);
            Assert.True(context.ReadOnlyRootFilesystem);
            Assert.Equal(["ALL"], context.Capabilities.Drop);
            Assert.Null(context.Capabilities.Add);
        }
    }
}
