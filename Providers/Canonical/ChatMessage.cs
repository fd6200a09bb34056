using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Canonical;

/// <summary>Who speaks a message. Tool results travel as parts of a <see cref="User"/> message.</summary>
public enum ChatRole
{
    /// <summary>The user, and tool results.</summary>
    User,

    /// <summary>The model.</summary>
    Assistant,
}

/// <summary>One turn of the conversation.</summary>
public sealed class ChatMessage
{
    /// <summary>Creates a message.</summary>
    public ChatMessage(ChatRole role) => Role = role;

    /// <summary>Creates a message with content.</summary>
    public ChatMessage(ChatRole role, IEnumerable<ContentPart> content)
        : this(role) => Content.AddRange(content);

    /// <summary>The speaker.</summary>
    public ChatRole Role { get; }

    /// <summary>The parts, in order.</summary>
    public List<ContentPart> Content { get; } = [];

    /// <summary>Message-level fields the model does not cover (e.g. OpenAI <c>name</c>), kept verbatim.</summary>
    public JsonObject? Extensions { get; set; }
}
