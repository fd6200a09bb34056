using LlmGateway.Keys;
using NUnit.Framework;

namespace LlmGateway.Tests.Store;

[TestFixture]
public sealed class GatewayKeySecretsTests
{
    [Test]
    public void GenerateSecret_Always_IsGkPrefixAnd43Base62Characters()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => GatewayKeySecrets.GenerateSecret()).ToList();

        Assert.That(secrets, Is.All.Match("^gk_[0-9A-Za-z]{43}$"));
        Assert.That(secrets, Is.Unique);
    }

    [Test]
    public void GenerateId_Always_IsKeyPrefixAnd16Base62Characters()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => GatewayKeySecrets.GenerateId()).ToList();

        Assert.That(ids, Is.All.Match("^key_[0-9A-Za-z]{16}$"));
        Assert.That(ids, Is.Unique);
    }

    [Test]
    public void DisplayPrefix_Secret_IsGkAndSevenCharacters()
    {
        var secret = GatewayKeySecrets.GenerateSecret();

        Assert.That(GatewayKeySecrets.DisplayPrefix(secret), Is.EqualTo(secret[..10]).And.Length.EqualTo(10));
    }

    [Test]
    public void Digest_Secret_IsSha256AndMatchesOnlyThatSecret()
    {
        var secret = GatewayKeySecrets.GenerateSecret();
        var digest = GatewayKeySecrets.Digest(secret);

        Assert.That(digest, Has.Length.EqualTo(32));
        Assert.That(GatewayKeySecrets.Matches(secret, digest), Is.True);
        Assert.That(GatewayKeySecrets.Matches(secret + "x", digest), Is.False);
        Assert.That(GatewayKeySecrets.Matches(GatewayKeySecrets.GenerateSecret(), digest), Is.False);
    }

    [Test]
    public void LooksLikeSecret_OtherShapes_IsFalse()
    {
        Assert.That(GatewayKeySecrets.LooksLikeSecret(GatewayKeySecrets.GenerateSecret()), Is.True);
        Assert.That(GatewayKeySecrets.LooksLikeSecret("sk-" + new string('a', 43)), Is.False);
        Assert.That(GatewayKeySecrets.LooksLikeSecret("gk_short"), Is.False);
        Assert.That(GatewayKeySecrets.LooksLikeSecret(null), Is.False);
    }
}
