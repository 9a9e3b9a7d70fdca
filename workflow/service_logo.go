package workflow

import "context"

// SetLogo makes an uploaded PNG or JPEG the organisation's logo. A file
// that is not a whole image is refused, so no document breaks on it.
func (s *Documents) SetLogo(ctx context.Context, actor Actor, slug string, content []byte) (DocumentSettings, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return DocumentSettings{}, err
	}
	l, err := checkLogo(content)
	if err != nil {
		return DocumentSettings{}, err
	}
	l.UpdatedBy, l.UpdatedAt = actor.Label(), s.Now()
	if err := s.store.SetLogo(ctx, org.ID, l); err != nil {
		return DocumentSettings{}, err
	}
	org.Documents.HasLogo, org.Documents.LogoMediaType = true, l.MediaType
	return org.Documents, nil
}

// Logo returns the organisation's logo.
func (s *Documents) Logo(ctx context.Context, actor Actor, slug string) (Logo, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Logo{}, err
	}
	return s.store.Logo(ctx, org.ID)
}

// DeleteLogo removes the organisation's logo; documents then have none.
func (s *Documents) DeleteLogo(ctx context.Context, actor Actor, slug string) (DocumentSettings, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return DocumentSettings{}, err
	}
	if err := s.store.DeleteLogo(ctx, org.ID); err != nil {
		return DocumentSettings{}, err
	}
	org.Documents.HasLogo, org.Documents.LogoMediaType = false, ""
	return org.Documents, nil
}
