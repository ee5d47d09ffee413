package io.vxcable.launcher;

/** The product version, from the jar manifest when packaged. */
final class Version {
  static final String VERSION = version();

  private Version() {}

  private static String version() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0" : v;
  }
}
