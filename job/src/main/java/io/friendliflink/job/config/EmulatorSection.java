package io.friendliflink.job.config;

import io.friendliflink.emulator.EmulatorConfig;

/**
 * The {@code emulator:} section as read: the emulator's own configuration, held by a type of the job's so that
 * {@link JobConfig}'s signatures name no emulator class. A cluster has none, and reflection over
 * {@code JobConfig} (its record methods, a serializer's look) would otherwise fail there.
 */
public record EmulatorSection(EmulatorConfig config) {}
