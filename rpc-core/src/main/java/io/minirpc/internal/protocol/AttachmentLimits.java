package io.minirpc.internal.protocol;

/**
 * How many attachments a server accepts on one request, and how many bytes their keys and values
 * may take all told (UTF-8, length prefixes not counted). The same for every transport.
 */
public record AttachmentLimits(int maxCount, int maxBytes) {

  /** 64 entries and 8 KiB, like the default metadata limit of gRPC. */
  public static final AttachmentLimits DEFAULT = new AttachmentLimits(64, 8 * 1024);

  public AttachmentLimits {
    if (maxCount < 0 || maxCount > 0xFFFF) {
      throw new IllegalArgumentException("maxAttachments must be within 0 and 65535: " + maxCount);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxAttachmentBytes must not be negative: " + maxBytes);
    }
  }

  /** Why these many entries of these many bytes are refused, or {@code null} if they are not. */
  public String refusal(int count, long bytes) {
    if (count > maxCount) {
      return "the request carries "
          + count
          + " attachments, over this server's limit of "
          + maxCount;
    }
    if (bytes > maxBytes) {
      return "the request's attachments take "
          + bytes
          + " bytes, over this server's limit of "
          + maxBytes;
    }
    return null;
  }
}
