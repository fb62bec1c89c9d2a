/**
 * The model registry in an OCI registry (Distribution API v2: Docker's registry, Harbor, GHCR, ECR, Zot, ...).
 *
 * <h2>Layout</h2>
 * All model versions live in <em>one</em> repository, the one in the address ({@code oci://HOST[:PORT]/REPOSITORY},
 * e.g. {@code oci://localhost:5000/models}); version {@code clicks:3} is the tag {@code clicks-3} (the version is
 * what follows the last {@code -}; a name longer than 128 characters with its version cannot be a tag and is
 * refused). {@code models()} and {@code versions()} read the repository's tag list ({@code GET /v2/REPO/tags/list},
 * following {@code Link} pagination); tags that do not read as {@code NAME-VERSION} are ignored.
 *
 * <p>Why not one repository per model ({@code REPO/clicks:3})? Listing models would need {@code /v2/_catalog},
 * which GHCR, ECR and Docker Hub do not offer and Harbor restricts to administrators; Distribution lists a
 * repository in the catalog as soon as a blob is uploaded, so a failed publish would show a model without
 * versions; repository names must be lowercase while model names need not; and token-auth registries grant one
 * scope per repository, so one repository means one permission to manage.
 *
 * <h2>The artifact</h2>
 * An OCI image manifest ({@code application/vnd.oci.image.manifest.v1+json}) with
 * <ul>
 *   <li>{@code artifactType} {@code application/vnd.modelship.model.v1+json};</li>
 *   <li>the empty config: media type {@code application/vnd.oci.empty.v1+json}, content {@code {}};</li>
 *   <li>one uncompressed layer per package file, annotated {@code org.opencontainers.image.title} = the file name:
 *     {@code model.onnx} as {@code application/vnd.modelship.model.onnx}, {@code modelship.yaml} as
 *     {@code application/vnd.modelship.manifest.v1+yaml}, {@code holdout.csv} as {@code text/csv}; a layer's
 *     digest is therefore the file's sha256;</li>
 *   <li>manifest annotations {@code dev.modelship.model.name}, {@code dev.modelship.model.version},
 *     {@code dev.modelship.package.digest} (the {@code ModelPackage} digest) and
 *     {@code org.opencontainers.image.created}.</li>
 * </ul>
 * The ORAS CLI can pull one: {@code oras pull localhost:5000/models:clicks-3}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Publish uploads the blobs first and the manifest under its tag last, so a failure midway leaves no
 *     visible version. The same version with the same package digest is a no-op; with another digest a
 *     CONFLICT. (The Distribution API has no conditional tag write: two publishers racing on one new version
 *     cannot both be stopped.)</li>
 *   <li>Fetch reads the manifest and refuses, before downloading anything, a layer whose title is not a package
 *     file name (a hostile {@code ../../etc/passwd}), a layer above {@code maxBlobBytes}, or layers that do not
 *     add up to the package digest. Blobs go to a hidden staging folder beside the target, each checked for size
 *     and sha256, and move into place only when all are good: a failed fetch leaves the target absent or
 *     empty.</li>
 *   <li>HTTPS unless {@code allowInsecureHttp}; never a silent fallback. Credentials come from the options, then
 *     {@code MODELSHIP_REGISTRY_USERNAME}/{@code MODELSHIP_REGISTRY_PASSWORD}, then the {@code auths} of
 *     {@code ~/.docker/config.json} (or {@code $DOCKER_CONFIG}); Basic and Bearer-token challenges are both
 *     answered; credentials go only to the registry and its token realm and never appear in messages.</li>
 *   <li>Errors: connection refused, silence beyond the timeout, TLS failure, 5xx and answers that are not what
 *     the protocol promises are UNAVAILABLE; 401/403 UNAUTHORIZED; 404 NOT_FOUND; content that fails its
 *     digest, size or layout checks INVALID.</li>
 * </ul>
 *
 * <p>The ORAS Java SDK is not used: its {@code Registry} offers no timeout setting, writes pulled layers straight to
 * their titled paths, and sets no size limit, and each of those is a guarantee above.
 */
package dev.modelship.controller.registry.oci;
