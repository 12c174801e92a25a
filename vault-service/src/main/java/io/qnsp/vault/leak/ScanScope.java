package io.qnsp.vault.leak;

import io.qnsp.common.error.InvalidField;
import io.qnsp.vault.leak.source.GitLocations;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a scan reads, from its {@code scope}. An entry of {@code repositories} is either a git repository by URL or
 * absolute path (target {@code git}), or a hosted repository by name, {@code owner/name} at GitHub or
 * {@code group/subgroup/project} at GitLab, read at each of the hosted targets of the scan; a name prefixed with
 * {@code github:} or {@code gitlab:} is read at that target alone. An entry of {@code organizations} is a GitHub
 * organization or a GitLab group (path or numeric id), with the same optional prefix.
 */
record ScanScope(List<GitLocations.Location> gitRepositories, List<HostedName> hostedRepositories,
                 List<HostedName> organizations) {

    static final int MAX_REPOSITORIES = 100;
    static final int MAX_ORGANIZATIONS = 20;
    private static final int MAX_ENTRY = 2048;
    private static final Pattern REPOSITORY_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}(/[A-Za-z0-9_.-]{1,100}){1,20}");
    private static final Pattern ORGANIZATION_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}(/[A-Za-z0-9_.-]{1,100}){0,20}");

    /** A repository or organization at a code host. */
    record HostedName(ScanTarget target, String name) {
    }

    int estimatedUnits(int repositoriesPerOrganization) {
        return gitRepositories.size() + hostedRepositories.size() + organizations.size() * repositoriesPerOrganization;
    }

    static ScanScope parse(List<ScanTarget> targets, @Nullable List<String> repositories,
                           @Nullable List<String> organizations, GitLocations.Access access,
                           InvalidField.Problems problems) {
        List<GitLocations.Location> git = new ArrayList<>();
        Set<HostedName> hosted = new LinkedHashSet<>();
        Set<HostedName> groups = new LinkedHashSet<>();
        List<ScanTarget> hostedTargets = targets.stream().filter(ScanTarget::hosted).toList();
        List<String> repositoryEntries = repositories == null ? List.of() : repositories;
        List<String> organizationEntries = organizations == null ? List.of() : organizations;
        if (repositoryEntries.size() > MAX_REPOSITORIES) {
            problems.add("scope.repositories", "must list at most " + MAX_REPOSITORIES + " repositories");
            repositoryEntries = List.of();
        }
        if (organizationEntries.size() > MAX_ORGANIZATIONS) {
            problems.add("scope.organizations", "must list at most " + MAX_ORGANIZATIONS + " organizations");
            organizationEntries = List.of();
        }
        for (int i = 0; i < repositoryEntries.size(); i++) {
            String field = "scope.repositories[" + i + "]";
            String entry = entry(repositoryEntries.get(i), field, problems);
            if (entry == null) {
                continue;
            }
            if (prefixed(entry) == null && GitLocations.isGitLocation(entry)) {
                if (!targets.contains(ScanTarget.GIT)) {
                    problems.add(field, "is a git repository by URL or path: it needs target git");
                    continue;
                }
                try {
                    git.add(GitLocations.parse(entry, access));
                } catch (GitLocations.Refused refused) {
                    problems.add(field, refused.getMessage());
                }
                continue;
            }
            hosted(entry, field, REPOSITORY_NAME, "owner/name (GitHub) or group/project (GitLab)", targets,
                    hostedTargets, hosted, problems);
        }
        for (int i = 0; i < organizationEntries.size(); i++) {
            String field = "scope.organizations[" + i + "]";
            String entry = entry(organizationEntries.get(i), field, problems);
            if (entry != null) {
                hosted(entry, field, ORGANIZATION_NAME, "an organization (GitHub) or group path or id (GitLab)",
                        targets, hostedTargets, groups, problems);
            }
        }
        if (problems.isEmpty()) {
            if (git.isEmpty() && hosted.isEmpty() && groups.isEmpty()) {
                problems.add("scope", "must name at least one repository or organization");
            }
            for (int i = 0; i < targets.size(); i++) {
                ScanTarget target = targets.get(i);
                boolean used = target == ScanTarget.GIT ? !git.isEmpty()
                        : hosted.stream().anyMatch(h -> h.target() == target)
                        || groups.stream().anyMatch(h -> h.target() == target);
                if (!used) {
                    problems.add("targets[" + i + "]", "has nothing to read in scope");
                }
            }
        }
        return new ScanScope(git, new ArrayList<>(hosted), new ArrayList<>(groups));
    }

    private static @Nullable String entry(@Nullable String entry, String field, InvalidField.Problems problems) {
        if (entry == null || entry.isBlank()) {
            problems.add(field, "must not be empty");
            return null;
        }
        String stripped = entry.strip();
        if (stripped.length() > MAX_ENTRY || stripped.chars().anyMatch(Character::isISOControl)) {
            problems.add(field, "must be at most " + MAX_ENTRY + " characters without control characters");
            return null;
        }
        return stripped;
    }

    private static @Nullable ScanTarget prefixed(String entry) {
        if (entry.startsWith("github:")) {
            return ScanTarget.GITHUB;
        }
        return entry.startsWith("gitlab:") ? ScanTarget.GITLAB : null;
    }

    private static void hosted(String entry, String field, Pattern namePattern, String form, List<ScanTarget> targets,
                               List<ScanTarget> hostedTargets, Set<HostedName> into, InvalidField.Problems problems) {
        ScanTarget prefix = prefixed(entry);
        String name = prefix == null ? entry : entry.substring(prefix.apiName().length() + 1);
        if (!namePattern.matcher(name).matches() && !(namePattern == ORGANIZATION_NAME && name.matches("\\d{1,19}"))) {
            problems.add(field, "must be " + form + ", optionally prefixed with github: or gitlab:; a git repository "
                    + "is given by http(s):// URL or absolute path");
            return;
        }
        if (prefix != null) {
            if (!targets.contains(prefix)) {
                problems.add(field, "names target " + prefix.apiName() + ", which is not in targets");
                return;
            }
            add(prefix, name, field, namePattern == REPOSITORY_NAME ? 1 : 0, into, problems);
            return;
        }
        if (hostedTargets.isEmpty()) {
            problems.add(field, "is a name: it needs target github or gitlab (a git repository is given by URL or "
                    + "absolute path)");
            return;
        }
        for (ScanTarget target : hostedTargets) {
            add(target, name, field, namePattern == REPOSITORY_NAME ? 1 : 0, into, problems);
        }
    }

    private static void add(ScanTarget target, String name, String field, int slashesAtGitHub, Set<HostedName> into,
                            InvalidField.Problems problems) {
        if (target == ScanTarget.GITHUB && name.chars().filter(c -> c == '/').count() != slashesAtGitHub) {
            problems.add(field, slashesAtGitHub == 1 ? "must be owner/name at GitHub"
                    : "must be an organization's name at GitHub");
            return;
        }
        into.add(new HostedName(target, name));
    }
}
