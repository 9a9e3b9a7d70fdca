package documents

import (
	"context"

	"github.com/yttrande/remiss/workflow"
)

// SetLogo makes an uploaded PNG or JPEG the organisation's logo. A file
// that is not a whole image is refused, so no document breaks on it.
func (s *Service) SetLogo(ctx context.Context, actor workflow.Actor, slug string, content []byte) (workflow.DocumentSettings, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return workflow.DocumentSettings{}, err
	}
	l, err := workflow.CheckLogo(content)
	if err != nil {
		return workflow.DocumentSettings{}, err
	}
	l.UpdatedBy, l.UpdatedAt = actor.Label(), s.Now()
	if err := s.store.SetLogo(ctx, org.ID, l); err != nil {
		return workflow.DocumentSettings{}, err
	}
	s.ForgetOrg(ctx, slug) // the organisation says whether it has a logo
	org.Documents.HasLogo, org.Documents.LogoMediaType = true, l.MediaType
	return org.Documents, nil
}

// Logo returns the organisation's logo.
func (s *Service) Logo(ctx context.Context, actor workflow.Actor, slug string) (workflow.Logo, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.Logo{}, err
	}
	return s.store.Logo(ctx, org.ID)
}

// DeleteLogo removes the organisation's logo; documents then have none.
func (s *Service) DeleteLogo(ctx context.Context, actor workflow.Actor, slug string) (workflow.DocumentSettings, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return workflow.DocumentSettings{}, err
	}
	if err := s.store.DeleteLogo(ctx, org.ID); err != nil {
		return workflow.DocumentSettings{}, err
	}
	s.ForgetOrg(ctx, slug)
	org.Documents.HasLogo, org.Documents.LogoMediaType = false, ""
	return org.Documents, nil
}
