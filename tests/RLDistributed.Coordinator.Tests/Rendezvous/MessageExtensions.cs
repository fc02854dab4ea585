namespace RLDistributed.Coordinator.Tests.Rendezvous;

/// <summary>Small helper to tweak a protobuf message inline.</summary>
internal static class MessageExtensions
{
    public static T Also<T>(this T message, Action<T> change)
    {
        change(message);
        return message;
    }
}
