# mfd — build, test, install and demo. `make help` lists the targets.
#
#   make                 release build of mfd, mfctl, mfbench + man pages and completions
#   make test            README's test command (swift test)
#   make demo            start mfd in the background on the synthetic demo catalogue
#   make demo-stop       stop it
#   make install         copies what `make` built (never builds): PREFIX=/usr/local DESTDIR=
#   make uninstall
#   make deb             Debian package dist/mfd_VERSION_ARCH.deb (Swift runtime linked in)
#   make check-units     systemd-analyze verify + security score of systemd/
#   make check-mdwe      does the Swift runtime survive MemoryDenyWriteExecute=yes?

PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/mfd
SYSCONFDIR  ?= /etc
# systemd searches /usr/local/lib/{systemd/system,sysusers.d,tmpfiles.d} too.
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# Set to 0 to skip generating man pages / completions (they need the real
# ArgumentParser-based mfd/mfctl/mfbench binaries).
MAN         ?= 1
COMPLETIONS ?= 1

SWIFT ?= swift
# No CPU flags: the kernels take their AVX2/FMA path at start on CPUs that
# have it (docs/core.md, "Kernels and CPU dispatch"), so one build runs on any
# x86-64. Extra `swift build` flags for every release build go here (`make deb`
# sets --static-swift-stdlib and its own scratch path).
SWIFT_BUILD_FLAGS ?=
RELEASE_DIR ?= .build/release
PRODUCTS = mfd mfctl mfbench
GEN ?= .build/gen
# `make deb`'s build: the Swift runtime linked in, so the package needs only
# Debian's libraries; its own scratch path, since the flag rebuilds everything.
DEB_BUILD = .build-deb

.PHONY: all release build test demo demo-stop install uninstall man completions \
	deb check-units check-mdwe ci clean help

# Everything `make install` copies.
all: release man completions

help:
	@sed -n 's/^#   //p' Makefile

release:
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

build:
	$(SWIFT) build

test:
	swift test

demo: release
	scripts/demo.sh start

demo-stop:
	scripts/demo.sh stop

# Man pages: the generate-manual tool of swift-argument-parser, built with the
# same flags and scratch path as the release build, so it reuses that build.
man: release
ifeq ($(MAN),1)
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS) --product generate-manual
	@mkdir -p $(GEN)/man
	@for t in mfd:8 mfctl:1 mfbench:1; do \
	  $(RELEASE_DIR)/generate-manual $(RELEASE_DIR)/$${t%:*} --section $${t#*:} -o $(GEN)/man \
	    || { echo "generate-manual failed for $${t%:*} (not an ArgumentParser tool? set MAN=0 to skip)"; exit 1; }; \
	done
	@# mfd has no subcommands, but generate-manual always lists argument-parser's implicit `help` one.
	@sed -i -e '/^\.Ar subcommand$$/d' -e '/^\.It Em help$$/,/^\.El$$/d' $(GEN)/man/mfd.8
endif

completions: release
ifeq ($(COMPLETIONS),1)
	@mkdir -p $(GEN)/completions
	@for shell in bash zsh fish; do \
	  $(RELEASE_DIR)/mfctl --generate-completion-script $$shell >$(GEN)/completions/mfctl.$$shell \
	    && grep -q mfctl $(GEN)/completions/mfctl.$$shell && [ $$(wc -c <$(GEN)/completions/mfctl.$$shell) -gt 200 ] \
	    || { echo "mfctl --generate-completion-script $$shell failed (set COMPLETIONS=0 to skip)"; exit 1; }; \
	done
endif

# What `make` builds and `make install` copies.
BUILT = $(addprefix $(RELEASE_DIR)/,$(PRODUCTS))
ifeq ($(MAN),1)
BUILT += $(GEN)/man/mfd.8 $(GEN)/man/mfctl.1 $(GEN)/man/mfbench.1
endif
ifeq ($(COMPLETIONS),1)
BUILT += $(GEN)/completions/mfctl.bash $(GEN)/completions/mfctl.zsh $(GEN)/completions/mfctl.fish
endif

# Copies only: under `sudo make install` the toolchain is not on sudo's PATH
# (secure_path), and a build as root would leave root-owned files in .build.
install:
	@missing=; for f in $(BUILT); do [ -e "$$f" ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make install: not built yet:$$missing" >&2; \
	  echo "make install: run 'make' first (as yourself, not root), then 'sudo make install'" >&2; \
	  exit 1; \
	fi
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	  $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(DOCDIR)
	for p in $(PRODUCTS); do install -m 0755 $(RELEASE_DIR)/$$p $(DESTDIR)$(BINDIR)/$$p; done
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/etc/mfd/|$(SYSCONFDIR)/mfd/|g' \
	  systemd/mfd.service >$(DESTDIR)$(UNITDIR)/mfd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/mfd.service
	install -m 0644 systemd/mfd.socket $(DESTDIR)$(UNITDIR)/mfd.socket
	install -m 0644 systemd/mfd.sysusers $(DESTDIR)$(SYSUSERSDIR)/mfd.conf
	install -m 0644 systemd/mfd.tmpfiles $(DESTDIR)$(TMPFILESDIR)/mfd.conf
	install -m 0644 systemd/mfd.env.example $(DESTDIR)$(DOCDIR)/mfd.env.example
ifeq ($(MAN),1)
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(GEN)/man/mfd.8 $(DESTDIR)$(MANDIR)/man8/mfd.8
	install -m 0644 $(GEN)/man/mfctl.1 $(GEN)/man/mfbench.1 $(DESTDIR)$(MANDIR)/man1/
endif
ifeq ($(COMPLETIONS),1)
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0644 $(GEN)/completions/mfctl.bash $(DESTDIR)$(BASHCOMPDIR)/mfctl
	install -m 0644 $(GEN)/completions/mfctl.zsh $(DESTDIR)$(ZSHCOMPDIR)/_mfctl
	install -m 0644 $(GEN)/completions/mfctl.fish $(DESTDIR)$(FISHCOMPDIR)/mfctl.fish
endif
	@echo "Installed under $(DESTDIR)$(PREFIX). To run it as a service:"
	@echo "  systemd-sysusers && systemd-tmpfiles --create mfd.conf && systemctl daemon-reload"
	@echo "  systemctl enable --now mfd.socket     # settings: $(SYSCONFDIR)/mfd/mfd.env (see $(DOCDIR)/mfd.env.example)"

# Leaves the database (/var/lib/mfd) and $(SYSCONFDIR)/mfd alone: that is data.
uninstall:
	for p in $(PRODUCTS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	rm -f $(DESTDIR)$(UNITDIR)/mfd.service $(DESTDIR)$(UNITDIR)/mfd.socket \
	  $(DESTDIR)$(SYSUSERSDIR)/mfd.conf $(DESTDIR)$(TMPFILESDIR)/mfd.conf \
	  $(DESTDIR)$(DOCDIR)/mfd.env.example \
	  $(DESTDIR)$(MANDIR)/man8/mfd.8 $(DESTDIR)$(MANDIR)/man1/mfctl.1 $(DESTDIR)$(MANDIR)/man1/mfbench.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/mfctl $(DESTDIR)$(ZSHCOMPDIR)/_mfctl $(DESTDIR)$(FISHCOMPDIR)/mfctl.fish
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# The package (scripts/build-deb.sh): mfd and mfctl, man pages, completions,
# units, sysusers.d/tmpfiles.d, /etc/mfd/mfd.env as a conffile, maintainer scripts.
deb:
	$(MAKE) all SWIFT_BUILD_FLAGS="--static-swift-stdlib --scratch-path $(DEB_BUILD)" \
	  RELEASE_DIR=$(DEB_BUILD)/release GEN=$(DEB_BUILD)/gen
	scripts/build-deb.sh $(DEB_BUILD)

check-units:
	scripts/verify-units.sh

check-mdwe:
	scripts/check-mdwe.sh

ci:
	.ci/run

clean:
	$(SWIFT) package clean
	rm -rf $(GEN) $(DEB_BUILD) dist
